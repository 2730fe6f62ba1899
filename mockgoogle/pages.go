package mockgoogle

import (
	"bytes"
	"html/template"
	"net/http"
)

// pages holds the HTML the authorization endpoint shows a browser.
var pages = template.Must(template.New("").Parse(`
{{define "chooser"}}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - Google Accounts (mock)</title>
</head><body>
<h1>Choose an account</h1>
<p>to continue to {{.ClientID}}</p>
<ul>
{{range .Users}}<li><form method="post" action="{{$.Action}}">
{{range $k, $v := $.Fields}}<input type="hidden" name="{{$k}}" value="{{$v}}">
{{end}}<input type="hidden" name="sub" value="{{.Sub}}">
<button type="submit">{{.Name}} &lt;{{.Email}}&gt;</button>
</form></li>
{{end}}</ul>
</body></html>
{{end}}
{{define "error"}}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Error {{.Status}} ({{.Code}})</title>
</head><body>
<h1>Access blocked: authorization error</h1>
<p>Error {{.Status}}: {{.Code}}</p>
<p>{{.Description}}</p>
</body></html>
{{end}}`))

// writeChooser shows the account chooser: one button per configured user, each posting
// the authorization request back with the user's sub.
func (s *Server) writeChooser(w http.ResponseWriter, req authRequest) {
	data := struct {
		ClientID string
		Action   string
		Fields   map[string]string
		Users    []User
	}{req.ClientID, chooserPath, req.fields(), s.users}
	s.writePage(w, http.StatusOK, "chooser", data)
}

// writeErrorPage shows the error page Google shows instead of redirecting. The page names
// the error's own status (Google's reads "Error 401: invalid_client"); the answer is 400.
func (s *Server) writeErrorPage(w http.ResponseWriter, e *pageError) {
	data := struct {
		Status      int
		Code        string
		Description string
	}{e.status, e.code, e.description}
	s.writePage(w, http.StatusBadRequest, "error", data)
}

func (s *Server) writePage(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		writeError(w, s.log, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if _, err := w.Write(buf.Bytes()); err != nil {
		s.log.Debug("write response", "err", err)
	}
}
