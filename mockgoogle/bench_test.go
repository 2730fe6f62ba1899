package mockgoogle_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/authprobe/authprobe/mockgoogle"
)

// BenchmarkCodeExchange measures authorization code exchanges over loopback HTTP, each
// minting a code and redeeming it for tokens with a signed id_token, and reports
// exchanges per second.
func BenchmarkCodeExchange(b *testing.B) {
	srv := mockgoogle.NewServer(b, mockgoogle.Config{Logger: slog.New(slog.DiscardHandler)})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.Cleanup(client.CloseIdleConnections)

	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			code, err := srv.MintCode(mockgoogle.CodeRequest{
				ClientID: mockgoogle.DefaultClientID, RedirectURI: redirectURI,
				AccessType: "offline",
			})
			if err != nil {
				b.Error(err)
				return
			}
			exchange(b, client, srv.URL()+"/token", exchangeForm(code))
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "exchanges/s")
}

// exchange posts a token request and fails the benchmark unless it succeeds.
func exchange(b *testing.B, client *http.Client, tokenURL string, form url.Values) {
	resp, err := client.Post(tokenURL, "application/x-www-form-urlencoded",
		strings.NewReader(form.Encode()))
	if err != nil {
		b.Error(err)
		return
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		b.Error(err)
	}
	if resp.StatusCode != http.StatusOK {
		b.Errorf("exchange answered %s", resp.Status)
	}
}
