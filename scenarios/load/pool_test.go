package load

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPool(t *testing.T) {
	p := NewPool(2)
	require.NoError(t, p.Add("r-1"))
	require.NoError(t, p.Add("r-2"))
	require.ErrorContains(t, p.Add("r-3"), "pool full")
	assert.Equal(t, 2, p.Len())
	assert.Equal(t, 2, p.Alive())

	a, err := p.acquire()
	require.NoError(t, err)
	b, ok := p.tryAcquire()
	require.True(t, ok)
	_, ok = p.tryAcquire()
	assert.False(t, ok, "both sessions are busy")
	assert.ElementsMatch(t, []string{"r-1", "r-2"},
		[]string{p.sessions[a].cur, p.sessions[b].cur})

	p.release(a)
	p.drop(b)
	assert.Equal(t, 1, p.Alive())
	again, err := p.acquire()
	require.NoError(t, err)
	assert.Equal(t, a, again)

	p.drop(again)
	_, err = p.acquire()
	require.ErrorIs(t, err, errNoSessions)
}

func TestPoolStop(t *testing.T) {
	p := NewPool(1)
	require.NoError(t, p.Add("r-1"))
	id, err := p.acquire()
	require.NoError(t, err)

	p.stop()

	_, err = p.acquire()
	require.ErrorIs(t, err, errStopped)
	assert.True(t, p.stopped())
	p.release(id)
	p.reset()
	_, err = p.acquire()
	require.NoError(t, err)
}

func TestShare(t *testing.T) {
	tests := []struct {
		name  string
		share share
		want  int
	}{
		{name: "none", share: 0, want: 0},
		{name: "every tenth", share: 0.1, want: 100},
		{name: "a third", share: 1.0 / 3, want: 333},
		{name: "all", share: 1, want: 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			picked := 0
			for n := uint64(1); n <= 1000; n++ {
				if tc.share.picks(n) {
					picked++
				}
			}
			assert.Equal(t, tc.want, picked)
		})
	}
}
