package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestErrorFaults(t *testing.T) {
	runFaultCases(t, []faultCase{
		{fault: "crash-on-garbage", check: "errors/malformed-input"},
		{fault: "crash-on-garbage", check: "errors/no-debug-page"},
	})
}

func TestDebugMarkers(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string // what the marker found names; empty means none matches
	}{
		{"python traceback", "Traceback (most recent call last):\n  File \"x.py\"",
			"a Python traceback"},
		{"python frame", `  File "/srv/app/views.py", line 42, in post`, "a Python traceback"},
		{"django debug page", "<p>You're seeing this error because you have DEBUG = True",
			"Django's debug page (DEBUG = True)"},
		{"django debug 404", "Using the URLconf defined in backend.urls",
			"Django's debug 404 page (DEBUG = True)"},
		{"go panic", "panic: boom\n\ngoroutine 7 [running]:\nmain.main()", "a Go panic's stack"},
		{"java", "at com.example.Api.handle(Api.java:12)", "a Java stack trace"},
		{"node", "    at handler (/srv/app/index.js:10:5)", "a Node.js stack trace"},
		{"drf error", `{"detail":"JSON parse error - Expecting value: line 1 column 1"}`, ""},
		{"simplejwt error", `{"detail":"Token is invalid or expired","code":"token_not_valid"}`,
			""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			for _, m := range debugMarkers {
				if m.pattern.MatchString(tc.body) {
					got = m.what
					break
				}
			}
			assert.Equal(t, tc.want, got)
		})
	}
}
