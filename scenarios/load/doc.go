// Package load is authprobe's load mode: it hammers a backend's refresh path with vegeta's
// attacker while every session keeps its rotated refresh token, and counts the
// correctness of rotation under load apart from latency.
//
// A run has two phases. [Establish] signs N sessions in through the real flow (the
// browser's authorization request to mockgoogle, then the code exchange with the backend)
// into a [Pool]. [Run] then attacks the refresh path: an open model paced by a rate
// (constant, or a linear ramp up to it), or a closed model of W workers that each send the
// next refresh as soon as the last answer arrived.
//
//	report, err := load.Run(ctx, load.Config{
//		Profile:   profile, // scenarios.Profile: the refresh path, encoding and fields
//		GoogleURL: "http://127.0.0.1:9090",
//		Sessions:  1000,
//		Rate:      load.Rate{Freq: 500, Per: time.Second},
//		Duration:  30 * time.Second,
//	})
//
// # Chaining tokens through vegeta
//
// vegeta's targeters and results know nothing of sessions. The [Pool] hands each request
// an idle session's latest refresh token and keeps the session busy until its answer is
// in, so a session never has two refreshes in flight. The session's index travels in a
// private request header that the load mode's http.RoundTripper strips before the request
// leaves; the RoundTripper watches the answer as vegeta reads it, takes the new refresh
// token into the session and frees it. vegeta's results carry latency and status only:
// their bodies and headers, which hold tokens, are dropped before anyone sees them.
//
// # Findings
//
// Correctness under load is counted apart from latency, by requests sent out of band of
// vegeta's results:
//
//   - reuse: after a share of rotations (Config.ReuseRatio), the token just rotated out is
//     sent again. Each acceptance that yields a new token is a finding (ReuseAccepted).
//   - race: for a share of requests (Config.RaceRatio), an idle session's token is sent
//     twice at once. Two successes with different successors fork the family (Forks).
//   - lost sessions: a session whose valid token is refused, with nothing that could
//     explain it (no injection, timeout or server error on its chain), is lost
//     (LostSessions): its user would be logged out.
//   - unexpected: answers that are neither a token pair nor the profile's refusal, such as
//     a 500, or a 2xx without an access token (Unexpected).
//
// A session whose chain an injection or a failed request may legitimately have revoked is
// retired when its token is refused, and not counted as lost; when the run can sign in
// (it has a mockgoogle URL), a new session takes its place.
//
// GraphQL profiles are read through the scenarios.Client, which turns errors in a 200
// answer into refusals: the findings count them so, but vegeta's results, which know only
// HTTP statuses, count every such answer a success.
//
// # Reports
//
// A [Report] holds vegeta's metrics and the [Tally] of findings; it writes itself as text
// and as JSON, and [Threshold]s gate it in CI. Results are kept in vegeta's own encoding,
// so that `vegeta report` and `vegeta plot` work on them; [Merge] joins the results and
// tallies of several machines into one report.
package load
