package refserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// user is a person who signed in with Google, keyed by Google's sub.
type user struct {
	ID        int64
	Sub       string
	Email     string
	FirstName string
	LastName  string
}

// grant is what one token pair is signed from: a refresh token and the access token issued
// with it. Signing is deterministic, so a stored grant signs to the same pair again.
type grant struct {
	JTI             string
	FamilyID        int64
	UserID          int64
	IssuedAt        int64 // iat of both tokens, Unix seconds
	ExpiresAt       int64 // refresh exp, Unix seconds
	AccessJTI       string
	AccessExpiresAt int64 // access exp, Unix seconds
}

// tokenRow is a recorded refresh token with its state.
type tokenRow struct {
	grant
	spentAt   sql.NullInt64  // Unix ms
	successor sql.NullString // jti of the token it was rotated to
	revokedAt sql.NullInt64  // Unix ms; the family's revocation
}

// recordUser creates u, or updates the user with u's sub, and sets u.ID.
func (s *store) recordUser(ctx context.Context, u *user, now time.Time) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		err := tx.StmtContext(ctx, s.stmts.upsertUser).QueryRowContext(ctx,
			u.Sub, u.Email, u.FirstName, u.LastName, millis(now)).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("refserver: record user: %w", err)
		}
		return nil
	})
}

// openSession opens a new token family for the user g.UserID names, with g as its first
// token. It sets g.FamilyID.
func (s *store) openSession(ctx context.Context, g *grant, now time.Time) error {
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		err := tx.StmtContext(ctx, s.stmts.insertFamily).QueryRowContext(ctx,
			g.UserID, millis(now)).Scan(&g.FamilyID)
		if err != nil {
			return fmt.Errorf("refserver: record token family: %w", err)
		}
		return s.insertGrant(ctx, tx, *g)
	})
}

// insertGrant records g's refresh token.
func (s *store) insertGrant(ctx context.Context, tx *sql.Tx, g grant) error {
	_, err := tx.StmtContext(ctx, s.stmts.insertToken).ExecContext(ctx, g.JTI, g.FamilyID,
		g.UserID, g.IssuedAt, g.ExpiresAt, g.AccessJTI, g.AccessExpiresAt)
	if err != nil {
		return fmt.Errorf("refserver: record refresh token: %w", err)
	}
	return nil
}

// scanToken reads one tokenRow; it returns errUnknownToken when there is none.
func scanToken(row *sql.Row) (tokenRow, error) {
	var t tokenRow
	err := row.Scan(&t.JTI, &t.FamilyID, &t.UserID, &t.IssuedAt, &t.ExpiresAt, &t.AccessJTI,
		&t.AccessExpiresAt, &t.spentAt, &t.successor, &t.revokedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return t, errUnknownToken
	}
	if err != nil {
		return t, fmt.Errorf("refserver: read refresh token: %w", err)
	}
	return t, nil
}

// usable says why a recorded token may not be used, or nil if it may.
func (t tokenRow) usable() error {
	switch {
	case t.revokedAt.Valid:
		return errRevoked
	case t.spentAt.Valid:
		return errReused
	}
	return nil
}

// check returns the grant of an unspent refresh token of a live family, without spending
// it. It returns errUnknownToken, errRevoked or errReused otherwise.
func (s *store) check(ctx context.Context, jti string) (grant, error) {
	t, err := scanToken(s.stmts.readToken.QueryRowContext(ctx, jti))
	if err != nil {
		return grant{}, err
	}
	return t.grant, t.usable()
}

// revoke revokes the family of the refresh token jti (logout). Revoking a revoked family
// does nothing; an unknown token is errUnknownToken.
func (s *store) revoke(ctx context.Context, jti, reason string, now time.Time) error {
	var outcome error
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		t, err := scanToken(tx.StmtContext(ctx, s.stmts.lookupToken).QueryRowContext(ctx, jti))
		if err != nil {
			outcome = err
			return ignoreOutcome(err)
		}
		return s.revokeFamily(ctx, tx, t.FamilyID, reason, now)
	})
	return errors.Join(err, outcome)
}

// revokeFamily marks a family revoked, unless it already is.
func (s *store) revokeFamily(ctx context.Context, tx *sql.Tx, family int64, reason string,
	now time.Time) error {
	_, err := tx.StmtContext(ctx, s.stmts.revokeFamily).ExecContext(ctx, millis(now), reason,
		family)
	if err != nil {
		return fmt.Errorf("refserver: revoke token family: %w", err)
	}
	return nil
}

// readUser returns the user with the given id, or errUserNotFound.
func (s *store) readUser(ctx context.Context, id int64) (user, error) {
	var u user
	err := s.stmts.readUser.QueryRowContext(ctx, id).Scan(&u.ID, &u.Sub, &u.Email,
		&u.FirstName, &u.LastName)
	if errors.Is(err, sql.ErrNoRows) {
		return u, errUserNotFound
	}
	if err != nil {
		return u, fmt.Errorf("refserver: read user: %w", err)
	}
	return u, nil
}

// ignoreOutcome keeps a token's outcome (unknown, revoked, reused) from rolling back the
// transaction it was found in, and passes database failures on.
func ignoreOutcome(err error) error {
	if errors.Is(err, errUnknownToken) || errors.Is(err, errRevoked) ||
		errors.Is(err, errReused) {
		return nil
	}
	return err
}
