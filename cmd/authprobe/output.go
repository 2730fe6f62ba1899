package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// checkOutputPath refuses, before any request, an output file that could not be written
// at the end: its directory must exist and take new files, and the path must not be a
// directory. An empty path (the flag is not given) is accepted. cmd ("check" or "load")
// and flag name the culprit in the error.
func checkOutputPath(cmd, flag, path string) error {
	if path == "" {
		return nil
	}
	refuse := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s %s: %s", cmd, flag, path, fmt.Sprintf(format, args...))
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return refuse("is a directory; name a file")
	}

	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return refuse("directory %s does not exist", dir)
	case err != nil:
		return fmt.Errorf("%s: %s %s: %w", cmd, flag, path, err)
	case !info.IsDir():
		return refuse("%s is not a directory", dir)
	}
	probe, err := os.CreateTemp(dir, tempPattern(path))
	if err != nil {
		return fmt.Errorf("%s: %s %s: directory %s takes no new files: %w", cmd, flag, path,
			dir, err)
	}
	return errors.Join(probe.Close(), os.Remove(probe.Name()))
}

// tempPattern is the os.CreateTemp pattern of the temporary files written for path: hidden,
// next to it, and named after it.
func tempPattern(path string) string { return "." + filepath.Base(path) + ".tmp-*" }

// atomicFile is an output file written under a temporary name in its directory and
// renamed to its path by commit, so that a run that fails never truncates the file the
// path already names.
type atomicFile struct {
	*os.File
	path string
}

// createAtomic starts writing the file at path.
func createAtomic(path string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), tempPattern(path))
	if err != nil {
		return nil, err
	}
	return &atomicFile{File: f, path: path}, nil
}

// commit closes the file and renames it to its path, keeping the mode of the file it
// replaces (0644 for a new one). On error the temporary file is removed.
func (f *atomicFile) commit() error {
	mode := fs.FileMode(0o644)
	if info, err := os.Stat(f.path); err == nil {
		mode = info.Mode().Perm()
	}
	err := errors.Join(f.Chmod(mode), f.Close())
	if err == nil {
		err = os.Rename(f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// abort closes and removes the temporary file, leaving path as it was.
func (f *atomicFile) abort() {
	f.Close()
	os.Remove(f.Name())
}

// writeAtomic writes path with write, through an atomicFile.
func writeAtomic(path string, write func(io.Writer) error) error {
	f, err := createAtomic(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.abort()
		return err
	}
	return f.commit()
}
