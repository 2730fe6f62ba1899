package load

import (
	"bytes"
	"encoding/json"
)

// topFields reads the string values of two top-level fields of a JSON object, the way
// the frontend's JSON.parse and property access would see them: names match exactly, and
// the last of duplicate fields wins. A field that is absent or not a string reads as
// empty. ok is false when body is not a JSON object. The values may share body's memory.
//
// It replaces encoding/json on the attack's hot path, where it costs a fraction as much.
// It checks the structure of objects, arrays and strings, but takes any run of letters,
// digits and number signs for a literal: it may read a token from an answer that has a
// malformed number or literal elsewhere.
func topFields(body []byte, names [2]string) (values [2][]byte, ok bool) {
	s := fieldScanner{b: body}
	s.space()
	if !s.next('{') {
		return values, false
	}
	s.space()
	if s.next('}') {
		return values, s.end()
	}
	for {
		key, ok := s.string()
		if !ok {
			return values, false
		}
		s.space()
		if !s.next(':') {
			return values, false
		}
		s.space()
		which := -1
		for i, name := range names {
			if string(key) == name {
				which = i
			}
		}
		if which >= 0 && s.peek() == '"' {
			if values[which], ok = s.string(); !ok {
				return values, false
			}
		} else if !s.skipValue(0) {
			return values, false
		} else if which >= 0 {
			values[which] = nil
		}
		s.space()
		if s.next('}') {
			return values, s.end()
		}
		if !s.next(',') {
			return values, false
		}
		s.space()
	}
}

// maxDepth bounds the nesting skipValue follows.
const maxDepth = 64

type fieldScanner struct {
	b []byte
	i int
}

func (s *fieldScanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *fieldScanner) next(c byte) bool {
	if s.peek() != c {
		return false
	}
	s.i++
	return true
}

func (s *fieldScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// end reports whether nothing but white space follows.
func (s *fieldScanner) end() bool {
	s.space()
	return s.i == len(s.b)
}

// string reads a JSON string. Strings without escapes, such as every token, are returned
// in place; others are decoded by encoding/json.
func (s *fieldScanner) string() ([]byte, bool) {
	start := s.i
	if !s.next('"') {
		return nil, false
	}
	escaped := false
	for {
		j := bytes.IndexByte(s.b[s.i:], '"')
		if j < 0 {
			return nil, false
		}
		k := s.i + j
		backslashes := 0
		for k-backslashes-1 >= s.i && s.b[k-backslashes-1] == '\\' {
			backslashes++
		}
		escaped = escaped || bytes.IndexByte(s.b[s.i:k], '\\') >= 0
		s.i = k + 1
		if backslashes%2 == 0 {
			break
		}
	}
	if !escaped {
		return s.b[start+1 : s.i-1], true
	}
	var v string
	if json.Unmarshal(s.b[start:s.i], &v) != nil {
		return nil, false
	}
	return []byte(v), true
}

// skipValue steps over any JSON value.
func (s *fieldScanner) skipValue(depth int) bool {
	switch c := s.peek(); {
	case c == '"':
		_, ok := s.string()
		return ok
	case c == '{' || c == '[':
		return depth < maxDepth && s.skipContainer(c, depth)
	}
	start := s.i
	for s.i < len(s.b) && literalByte(s.b[s.i]) {
		s.i++
	}
	return s.i > start
}

// skipContainer steps over an object or an array.
func (s *fieldScanner) skipContainer(open byte, depth int) bool {
	close := byte(']')
	if open == '{' {
		close = '}'
	}
	s.i++
	s.space()
	if s.next(close) {
		return true
	}
	for {
		if open == '{' {
			if _, ok := s.string(); !ok {
				return false
			}
			s.space()
			if !s.next(':') {
				return false
			}
			s.space()
		}
		if !s.skipValue(depth + 1) {
			return false
		}
		s.space()
		if s.next(close) {
			return true
		}
		if !s.next(',') {
			return false
		}
		s.space()
	}
}

func literalByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '+' || c == '.' ||
		c == 'E'
}
