package refserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
)

// Limits on what a request may carry.
const (
	maxBodyBytes  = 64 << 10 // a whole request body
	maxFormFields = 64       // fields in one multipart body
)

// Body encodings.
const (
	encForm      = "application/x-www-form-urlencoded"
	encJSON      = "application/json"
	encMultipart = "multipart/form-data"
)

// fields is a decoded request body: every field that arrived, and which of them were not
// strings. A bare form key (Nuxt Auth sends "audience" and "grant_type" with no "=") is
// present with an empty value.
type fields struct {
	values    map[string]string
	notString map[string]bool
	encoding  string // encForm, encJSON or encMultipart
}

// get returns a field's value and whether it was present. A JSON field that is not a
// string is a field error.
func (f fields) get(name string) (string, bool, error) {
	if f.notString[name] {
		return "", true, fieldError(name, msgNotString)
	}
	v, ok := f.values[name]
	return v, ok, nil
}

// has reports whether the field arrived, whatever its value.
func (f fields) has(name string) bool {
	_, ok := f.values[name]
	return ok || f.notString[name]
}

// decodeBody reads and decodes r's body as form, JSON or multipart according to its
// Content-Type, reading at most maxBodyBytes. A body with no Content-Type is JSON if it
// starts with "{" and form otherwise. Errors are *apiError values with a 4xx status.
func decodeBody(w http.ResponseWriter, r *http.Request) (fields, error) {
	enc, params, err := bodyEncoding(r)
	if err != nil {
		return fields{}, err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if enc == encMultipart {
		return decodeMultipart(r.Body, params["boundary"])
	}

	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return fields{}, readError(err)
	}
	if enc == "" {
		enc = encForm
		if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
			enc = encJSON
		}
	}
	if enc == encJSON {
		return decodeJSON(raw)
	}
	return decodeForm(raw)
}

// bodyEncoding returns the body's media type: one of the enc constants, or "" when the
// request names none.
func bodyEncoding(r *http.Request) (string, map[string]string, error) {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return "", nil, nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", nil, unsupportedMedia(ct, err)
	}
	switch {
	case mt == encForm, mt == encJSON, mt == encMultipart:
		return mt, params, nil
	case strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"):
		return encJSON, params, nil
	}
	return "", nil, unsupportedMedia(ct, nil)
}

// unsupportedMedia is DRF's 415 for a body it has no parser for.
func unsupportedMedia(ct string, cause error) *apiError {
	return malformedError(http.StatusUnsupportedMediaType,
		fmt.Sprintf("Unsupported media type %q in request.", ct), cause)
}

// readError turns a failed body read into a 413 or a 400.
func readError(err error) *apiError {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return malformedError(http.StatusRequestEntityTooLarge, "Request body too large.", err)
	}
	return malformedError(http.StatusBadRequest, "Request body could not be read.", err)
}

// decodeForm decodes an urlencoded body, bare keys included.
func decodeForm(raw []byte) (fields, error) {
	q, err := url.ParseQuery(string(raw))
	if err != nil {
		return fields{}, malformedError(http.StatusBadRequest, "Form parse error.", err)
	}
	f := fields{values: make(map[string]string, len(q)), encoding: encForm}
	for k, vs := range q {
		f.values[k] = vs[0]
	}
	return f, nil
}

// decodeJSON decodes a JSON object; its string members are fields.
func decodeJSON(raw []byte) (fields, error) {
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&obj); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return fields{}, nonFieldError("Invalid data. Expected a dictionary, but got " +
				typeErr.Value + ".")
		}
		return fields{}, malformedError(http.StatusBadRequest, "JSON parse error.", err)
	}
	if dec.More() {
		return fields{}, malformedError(http.StatusBadRequest, "JSON parse error.",
			errors.New("data after the object"))
	}
	if obj == nil {
		return fields{}, nonFieldError("Invalid data. Expected a dictionary, but got null.")
	}

	f := fields{values: make(map[string]string, len(obj)), notString: map[string]bool{},
		encoding: encJSON}
	for k, v := range obj {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			f.notString[k] = true
			continue
		}
		f.values[k] = s
	}
	return f, nil
}

// decodeMultipart decodes the text fields of a multipart body and skips its files.
func decodeMultipart(body io.Reader, boundary string) (fields, error) {
	if boundary == "" {
		return fields{}, malformedError(http.StatusBadRequest,
			"Multipart form parse error - Invalid boundary in multipart: None", nil)
	}
	f := fields{values: map[string]string{}, encoding: encMultipart}
	mr := multipart.NewReader(body, boundary)
	for range maxFormFields {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return fields{}, multipartError(err)
		}
		value, err := io.ReadAll(part)
		if err != nil {
			return fields{}, multipartError(err)
		}
		name := part.FormName()
		if _, seen := f.values[name]; name != "" && part.FileName() == "" && !seen {
			f.values[name] = string(value)
		}
	}
	return fields{}, malformedError(http.StatusBadRequest, "Too many fields.", nil)
}

// multipartError is a body that broke off or is not multipart.
func multipartError(err error) *apiError {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return readError(err)
	}
	return malformedError(http.StatusBadRequest, "Multipart form parse error.", err)
}
