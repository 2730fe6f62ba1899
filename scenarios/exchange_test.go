package scenarios

import "testing"

func TestExchangeFaults(t *testing.T) {
	runFaultCases(t, []faultCase{
		{fault: "simplejwt-keys", check: "exchange/code-accepted"},
		{fault: "json-only", check: "exchange/form-and-json"},
		{fault: "code-replay", check: "exchange/code-single-use"},
		{fault: "google-error-500", check: "exchange/unknown-code"},
		{fault: "google-error-500", check: "exchange/google-failure"},
		{fault: "drop-verifier", check: "exchange/pkce-forwarded"},
		{fault: "no-store-missing", check: "exchange/no-store"},
	})
}
