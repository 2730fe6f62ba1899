package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckOutputPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := writeTemp(t, "old.txt", "old")
	tests := []struct {
		name string
		path string
		want string // part of the error; empty means accepted
	}{
		{name: "not given", path: ""},
		{name: "new file", path: filepath.Join(dir, "new.txt")},
		{name: "existing file", path: file},
		{name: "missing directory", path: filepath.Join(dir, "none", "x.txt"),
			want: "directory " + filepath.Join(dir, "none") + " does not exist"},
		{name: "directory", path: dir, want: "is a directory; name a file"},
		{name: "under a file", path: filepath.Join(file, "x.txt"),
			want: file + " is not a directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkOutputPath("check", "--out", tc.path)

			if tc.want == "" {
				require.NoError(t, err)
				assertNoTempFiles(t, filepath.Dir(tc.path))
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "check: --out "+tc.path+": "+tc.want)
		})
	}
}

func TestWriteAtomic(t *testing.T) {
	t.Parallel()
	errDisk := errors.New("disk full")
	tests := []struct {
		name    string
		write   func(w io.Writer) error
		wantErr error
		want    string
	}{
		{name: "replaces the file", want: "new",
			write: func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }},
		{name: "a failed write keeps the file", wantErr: errDisk, want: "old",
			write: func(w io.Writer) error {
				_, err := io.WriteString(w, "partial")
				return errors.Join(err, errDisk)
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := writeTemp(t, "report.txt", "old")
			require.NoError(t, os.Chmod(path, 0o640))

			err := writeAtomic(path, tc.write)

			require.ErrorIs(t, err, tc.wantErr)
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(data))
			info, err := os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o640), info.Mode().Perm(), "the mode is kept")
			assertNoTempFiles(t, filepath.Dir(path))
		})
	}
}

// assertNoTempFiles asserts that dir holds no hidden file, as the temporary files of
// checkOutputPath and writeAtomic are.
func assertNoTempFiles(t testing.TB, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.HasPrefix(e.Name(), "."), "%s is left in %s", e.Name(), dir)
	}
}
