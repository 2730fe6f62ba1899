package scenarios

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the subset browsers' devtools
// and HAR viewers need. Times are milliseconds; sizes -1 mean unknown.
type harFile struct {
	Log harLog `json:"log"`
}

type harLog struct {
	Version string     `json:"version"`
	Creator harCreator `json:"creator"`
	Entries []harEntry `json:"entries"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harEntry struct {
	StartedDateTime string      `json:"startedDateTime"`
	Time            float64     `json:"time"` // milliseconds
	Request         harRequest  `json:"request"`
	Response        harResponse `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         harTimings  `json:"timings"`
	Comment         string      `json:"comment,omitempty"` // the check's ID
}

type harRequest struct {
	Method      string   `json:"method"`
	URL         string   `json:"url"`
	HTTPVersion string   `json:"httpVersion"`
	Cookies     []harNV  `json:"cookies"`
	Headers     []harNV  `json:"headers"`
	QueryString []harNV  `json:"queryString"`
	PostData    *harPost `json:"postData,omitempty"`
	HeadersSize int      `json:"headersSize"`
	BodySize    int      `json:"bodySize"`
}

type harResponse struct {
	Status      int        `json:"status"`
	StatusText  string     `json:"statusText"`
	HTTPVersion string     `json:"httpVersion"`
	Cookies     []harNV    `json:"cookies"`
	Headers     []harNV    `json:"headers"`
	Content     harContent `json:"content"`
	RedirectURL string     `json:"redirectURL"`
	HeadersSize int        `json:"headersSize"`
	BodySize    int        `json:"bodySize"`
	Comment     string     `json:"comment,omitempty"` // why no answer arrived
}

type harNV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harPost struct {
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

type harContent struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text"`
}

type harTimings struct {
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// WriteHAR writes exchanges as a HAR 1.2 file; version names authprobe's version in the
// creator field. Exchanges are already redacted: secrets appear only as fingerprints.
func WriteHAR(w io.Writer, exchanges []*Exchange, version string) error {
	out := harFile{Log: harLog{
		Version: "1.2",
		Creator: harCreator{Name: "authprobe", Version: version},
		Entries: make([]harEntry, 0, len(exchanges)),
	}}
	for _, x := range exchanges {
		out.Log.Entries = append(out.Log.Entries, harEntryOf(x))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("scenarios: write har: %w", err)
	}
	return nil
}

func harEntryOf(x *Exchange) harEntry {
	ms := float64(x.Elapsed) / float64(time.Millisecond)
	e := harEntry{
		StartedDateTime: x.Started.UTC().Format(time.RFC3339Nano),
		Time:            ms,
		Timings:         harTimings{Wait: ms},
		Comment:         x.Check,
		Request: harRequest{
			Method: x.Method, URL: x.URL, HTTPVersion: "HTTP/1.1",
			Cookies: []harNV{}, Headers: harHeaders(x.RequestHeader),
			QueryString: harQuery(x.URL), HeadersSize: -1, BodySize: len(x.RequestBody),
		},
		Response: harResponse{
			Status: x.Status, StatusText: http.StatusText(x.Status), HTTPVersion: "HTTP/1.1",
			Cookies: []harNV{}, Headers: harHeaders(x.ResponseHeader),
			Content: harContent{
				Size: len(x.ResponseBody), MimeType: x.ResponseHeader.Get("Content-Type"),
				Text: x.ResponseBody,
			},
			RedirectURL: x.ResponseHeader.Get("Location"),
			HeadersSize: -1, BodySize: len(x.ResponseBody), Comment: x.Err,
		},
	}
	if x.RequestBody != "" {
		e.Request.PostData = &harPost{
			MimeType: x.RequestHeader.Get("Content-Type"), Text: x.RequestBody,
		}
	}
	return e
}

func harHeaders(h http.Header) []harNV {
	out := []harNV{}
	for _, name := range slices.Sorted(maps.Keys(h)) {
		for _, v := range h[name] {
			out = append(out, harNV{Name: name, Value: v})
		}
	}
	return out
}

func harQuery(raw string) []harNV {
	out := []harNV{}
	u, err := url.Parse(raw)
	if err != nil {
		return out
	}
	q := u.Query()
	for _, name := range slices.Sorted(maps.Keys(q)) {
		for _, v := range q[name] {
			out = append(out, harNV{Name: name, Value: v})
		}
	}
	return out
}
