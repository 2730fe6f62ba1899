// Package scenarios holds authprobe's conformance checks for backends that sign people in
// with Google and then run their own JWT sessions, together with what they need: target
// profiles, a client that drives a backend the way the Nuxt Auth frontend does, the runner
// and the reports.
//
// A [Profile] (YAML file or built-in, see [LoadProfile]) says how to talk to the target.
// [Run] runs the [Checks] against it, with the target signing in at a mockgoogle server
// that the checks reach over its HTTP control API, and returns a [Report] that writes
// itself as text, JSON, JUnit XML, and whose exchanges [WriteHAR] can save.
//
//	report, err := scenarios.Run(ctx, scenarios.Config{
//		Profile:   profile,
//		GoogleURL: "http://127.0.0.1:9090",
//	})
//
// [Client] is usable on its own (the load mode establishes its sessions with it): it
// holds no session state and is safe for concurrent use.
//
// A profile with transport graphql describes a GraphQL backend (see [GraphQL]): the
// Client posts its operations instead of the REST requests and answers with a [Response]
// that stands for the REST answer (see [GraphQLAnswer]), so checks need not tell the two
// apart; the few that make no sense over GraphQL are skipped, saying why. Run validates
// every operation against the target's schema before the first check.
//
// # Writing a check
//
// A check is a [Check] value in its suite's constructor, one file per suite (exchange.go
// holds exchangeChecks). A new suite adds its constructor to the suites list in
// registry.go. The check's Run gets an [*Env]:
//
//   - Env.Client drives the target (SignIn, Refresh, User, Logout, or Do for anything
//     else); every exchange it makes becomes the check's evidence, secrets fingerprinted.
//   - Env.Google arms mockgoogle faults. Scope them to one code (GoogleFault.Code) so the
//     check can run beside others; a check arming an unscoped fault sets Exclusive.
//   - Env.Advance makes time pass for the target: it moves the test clock, or waits real
//     time within --max-wait. A check calling it sets Timed.
//   - Env.Notef adds notes to the evidence (decoded claims, what was armed).
//
// Run returns [Pass], [Fail], [Skip] or [Errored]. A Fail summary is one sentence that
// tells the user what to fix in their stack's terms ("the login endpoint answered 400 to
// a refresh: it handles only code exchange"). A should-level failure becomes a warning by
// itself. Errored is for what the harness could not decide: the target did not answer,
// or a step the check builds on failed (a check of rotation cannot decide when sign-in
// fails). Tokens never appear in summaries or notes whole: use [Fingerprint].
//
// # Testing a check
//
// Every check is proven by two tests, both against refserver with mockgoogle as its
// provider, started by the helpers in helpers_test.go (newTarget starts a fresh pair with
// a test clock and the given refserver faults; runChecks runs checks on it and returns the
// results by ID). First, it passes on refserver as it is: TestSuitesPassOnRefserver runs
// every registered check once against one fault-free refserver and asserts that each
// must-check passes and each should-check passes or skips, so registering a check enrols
// it. A must-check that does not apply to that refserver (the cookie checks without
// cookie mode, say) is listed with its skip reason in notApplicableOnRefserver, and its
// passing is proven on a refserver it applies to. Second, it fails on refserver with the
// fault that it exists to catch (the table is in docs/internals.md): add a case to the
// suite's fault table and hand the table to runFaultCases, which runs each case in
// parallel on its own refserver and asserts fail, or warn for a should-check:
//
//	func TestRotationFaults(t *testing.T) {
//		runFaultCases(t, []faultCase{
//			{fault: "no-rotate", check: "rotation/new-refresh-token"},
//		})
//	}
package scenarios
