package scenarios

// restOnly says, by check ID or suite name, why checks do not apply to a GraphQL target;
// the runner skips them with that reason.
var restOnly = map[string]string{
	"exchange/form-and-json": "a GraphQL operation is posted as JSON; there is no form " +
		"body to accept",
	"cookies": "the cookie checks follow the cookie paths of separate REST endpoints, and a " +
		"GraphQL API answers every operation at one endpoint",
}

// notApplicable returns why check c does not apply to a target of profile p, or "" when
// it does.
func notApplicable(c Check, p *Profile) string {
	if p.Transport != TransportGraphQL {
		return ""
	}
	if reason := restOnly[c.ID]; reason != "" {
		return reason
	}
	return restOnly[c.Suite()]
}
