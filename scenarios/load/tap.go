package load

import (
	"context"
	"io"
	"net/http"
	"sync"
)

// maxAnswer is how much of an answer body is kept for reading its tokens. Longer bodies
// still reach vegeta whole; their tokens are not read.
const maxAnswer = 64 << 10

// newBuffers returns a pool of the taps' buffers: one per request would be the largest
// allocation of the attack.
func newBuffers() *sync.Pool {
	return &sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}
}

// tap is an answer body that keeps a copy of what vegeta reads from it. When vegeta has
// read it to the end, the session takes the answer in; when vegeta closes it before that
// (a timeout, a reset), the session is settled with no answer.
type tap struct {
	body   io.ReadCloser
	c      *chain
	id     uint32
	status int
	header http.Header
	buf    *[]byte
	over   bool // the body outgrew maxAnswer
	done   bool
	cancel context.CancelFunc // ends the request's timeout
}

func newTap(c *chain, id uint32, resp *http.Response, cancel context.CancelFunc) *tap {
	buf := c.buffers.Get().(*[]byte)
	*buf = (*buf)[:0]
	return &tap{body: resp.Body, c: c, id: id, status: resp.StatusCode,
		header: resp.Header, buf: buf, cancel: cancel}
}

func (t *tap) Read(p []byte) (int, error) {
	n, err := t.body.Read(p)
	if t.done {
		return n, err
	}
	if len(*t.buf)+n <= maxAnswer {
		*t.buf = append(*t.buf, p[:n]...)
	} else {
		t.over = true
	}
	if err == io.EOF {
		t.finish(true)
	}
	return n, err
}

func (t *tap) Close() error {
	if !t.done {
		t.finish(false)
	}
	err := t.body.Close()
	t.cancel()
	return err
}

// finish settles the session once, with the answer when it arrived whole.
func (t *tap) finish(complete bool) {
	t.done = true
	var a answer
	if complete {
		body := *t.buf
		if t.over {
			body = nil
		}
		a = t.c.answers.read(t.status, t.header, body)
	}
	t.c.buffers.Put(t.buf)
	t.buf = nil
	t.c.settle(t.id, a)
}
