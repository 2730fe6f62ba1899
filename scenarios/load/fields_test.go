package load

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

var tokenNames = [2]string{"access_token", "refresh_token"}

func TestTopFields(t *testing.T) {
	tests := []struct {
		name          string
		body          string
		access, fresh string
		notObject     bool
	}{
		{name: "both", body: `{"access_token":"a.b.c","refresh_token":"r.s.t"}`,
			access: "a.b.c", fresh: "r.s.t"},
		{name: "spaces and other fields", body: " {\n \"expires_in\" : 300, \"x\": [1, " +
			`{"refresh_token": "inner"}, "s"], "refresh_token" : "r", "n": null, ` +
			`"t": true, "f": -1.5e3 } `, fresh: "r"},
		{name: "escapes", body: `{"refresh_token":"a\"b\\c\u00e9","access_token":"x"}`,
			access: "x", fresh: "a\"b\\c\u00e9"},
		{name: "escaped key", body: `{"refresh\u005ftoken":"r"}`, fresh: "r"},
		{name: "last duplicate wins", body: `{"refresh_token":"r1","refresh_token":"r2"}`,
			fresh: "r2"},
		{name: "not a string", body: `{"refresh_token":{"v":"r"},"access_token":1}`},
		{name: "duplicate not a string", body: `{"refresh_token":"r","refresh_token":0}`},
		{name: "names match exactly", body: `{"Refresh_Token":"r"}`},
		{name: "empty object", body: `{}`},
		{name: "array", body: `["refresh_token","r"]`, notObject: true},
		{name: "html", body: `<h1>Server Error</h1>`, notObject: true},
		{name: "empty", body: ``, notObject: true},
		{name: "cut short", body: `{"refresh_token":"r`, notObject: true},
		{name: "trailing garbage", body: `{"refresh_token":"r"} x`, notObject: true},
		{name: "missing colon", body: `{"refresh_token" "r"}`, notObject: true},
		{name: "unclosed array", body: `{"a":[1,2,"refresh_token":"r"}`, notObject: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := topFields([]byte(tc.body), tokenNames)

			assert.Equal(t, !tc.notObject, ok)
			if ok {
				assert.Equal(t, tc.access, string(got[0]))
				assert.Equal(t, tc.fresh, string(got[1]))
			}
		})
	}
}

func TestTopFieldsDepth(t *testing.T) {
	deep := `{"a":` + repeat("[", maxDepth+2) + repeat("]", maxDepth+2) + `}`
	_, ok := topFields([]byte(deep), tokenNames)
	assert.False(t, ok)
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// FuzzTopFields holds topFields to encoding/json on every valid JSON object: the same
// string fields, found the same way.
func FuzzTopFields(f *testing.F) {
	f.Add(`{"access_token":"a","refresh_token":"r"}`)
	f.Add(`{"refresh_token":"\ud83d\ude00","x":{"y":[1,"z"]}}`)
	f.Add(`{"refresh_token":"a","refresh_token":"b"}`)
	f.Add("{\"refresh_token\":\"\xff\"}")
	f.Fuzz(func(t *testing.T, body string) {
		got, ok := topFields([]byte(body), tokenNames)
		var want map[string]any
		if !utf8.ValidString(body) || json.Unmarshal([]byte(body), &want) != nil {
			// Not a JSON object, or one whose invalid UTF-8 encoding/json would replace
			// and topFields keeps as sent: either may read it or not.
			return
		}
		if !ok {
			t.Fatalf("topFields refused the JSON object %q", body)
		}
		for i, name := range tokenNames {
			s, _ := want[name].(string)
			if string(got[i]) != s {
				t.Fatalf("%s of %q: got %q, want %q", name, body, got[i], s)
			}
		}
	})
}
