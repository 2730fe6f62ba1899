package refserver

import (
	"fmt"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
)

// queryRoot resolves the fields of Query: me, and the introspection fields.
type queryRoot struct{}

func (queryRoot) resolve(x *execution, f *ast.Field, args map[string]any) (any, error) {
	switch f.Name {
	case "me":
		u, err := x.s.currentUser(x.r)
		if err != nil {
			return nil, err
		}
		return userObject(u), nil
	case "__schema":
		return introSchema{x.schema}, nil
	case "__type":
		name, _ := args["name"].(string)
		if def := x.schema.Types[name]; def != nil {
			return introType{schema: x.schema, def: def}, nil
		}
		return nil, nil
	}
	return nil, unknownField("Query", f)
}

// mutationRoot resolves the fields of Mutation through the REST endpoints' own steps,
// so that every fault that bends those steps bends the mutations too.
type mutationRoot struct{}

func (mutationRoot) resolve(x *execution, f *ast.Field, args map[string]any) (any, error) {
	ctx := x.r.Context()
	switch f.Name {
	case "socialAuth":
		ex := exchange{code: stringArg(args, "code"), redirectURI: stringArg(args, "redirectUri"),
			verifier: stringArg(args, "codeVerifier")}
		if err := requireValue("code", ex.code, true); err != nil {
			return nil, err
		}
		p, err := x.s.signIn(ctx, ex)
		if err != nil {
			return nil, err
		}
		return x.tokenPair(p, false), nil
	case "refreshToken":
		raw := stringArg(args, "refreshToken")
		if err := requireValue("refreshToken", raw, true); err != nil {
			return nil, err
		}
		p, err := x.s.refresh(ctx, raw)
		if err != nil {
			return nil, err
		}
		return x.tokenPair(p, true), nil
	case "revokeToken":
		if x.s.cfg.Cookies {
			x.s.clearTokenCookies(x.w)
		}
		raw := stringArg(args, "refreshToken")
		if err := requireValue("refreshToken", raw, true); err != nil {
			return nil, err
		}
		if err := x.s.logout(ctx, raw); err != nil {
			return nil, err
		}
		return true, nil
	}
	return nil, unknownField("Mutation", f)
}

// tokenPair answers a token pair as the REST answers do: no-store headers, cookies in
// cookie mode, and the faults that change what an answer shows.
func (x *execution) tokenPair(p pair, rotated bool) object {
	x.s.writeTokenHeaders(x.w, p, rotated)
	shown := x.s.answered(p, rotated)
	out := tokenPairObject{access: shown.access, expiresIn: x.s.expiresIn(p)}
	if shown.refresh != "" {
		out.refresh = shown.refresh
	}
	return out
}

// tokenPairObject is a TokenPair.
type tokenPairObject struct {
	access    string
	refresh   any // the refresh token, or nil when the answer shows none
	expiresIn int64
}

func (t tokenPairObject) resolve(_ *execution, f *ast.Field, _ map[string]any) (any, error) {
	switch f.Name {
	case "accessToken":
		return t.access, nil
	case "refreshToken":
		return t.refresh, nil
	case "expiresIn":
		return t.expiresIn, nil
	}
	return nil, unknownField("TokenPair", f)
}

// userObject is a User.
type userObject userResponse

func (u userObject) resolve(_ *execution, f *ast.Field, _ map[string]any) (any, error) {
	switch f.Name {
	case "pk":
		return strconv.FormatInt(u.PK, 10), nil
	case "email":
		return u.Email, nil
	case "firstName":
		return u.FirstName, nil
	case "lastName":
		return u.LastName, nil
	}
	return nil, unknownField("User", f)
}

// stringArg returns a string argument, or "" when it is absent or null.
func stringArg(args map[string]any, name string) string {
	s, _ := args[name].(string)
	return s
}

// unknownField is a field the schema has and the resolvers lack: a mistake in this
// package, reported as a server failure.
func unknownField(typeName string, f *ast.Field) error {
	return fmt.Errorf("refserver: graphql: no resolver for %s.%s", typeName, f.Name)
}
