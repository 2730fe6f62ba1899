package refserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// statements are prepared once per store; writer statements run inside transactions
// through tx.StmtContext, which reuses them on the one writer connection.
type statements struct {
	upsertUser   *sql.Stmt
	insertFamily *sql.Stmt
	insertToken  *sql.Stmt
	spendToken   *sql.Stmt
	markSpent    *sql.Stmt
	lookupToken  *sql.Stmt
	revokeFamily *sql.Stmt
	readToken    *sql.Stmt
	readUser     *sql.Stmt
}

// Queries. spendQuery is the rotation itself: it spends a token only if it is unspent and
// its family is not revoked, in one statement, so a token is spent at most once.
const (
	upsertUserQuery = `INSERT INTO users (sub, email, first_name, last_name, created_at_ms)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (sub) DO UPDATE SET email = excluded.email,
			first_name = excluded.first_name, last_name = excluded.last_name
		RETURNING id`
	insertFamilyQuery = `INSERT INTO families (user_id, created_at_ms) VALUES (?, ?) RETURNING id`
	insertTokenQuery  = `INSERT INTO refresh_tokens
		(jti, family_id, user_id, issued_at, expires_at, access_jti, access_expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`
	spendQuery = `UPDATE refresh_tokens SET spent_at_ms = ?1, successor = ?2
		WHERE jti = ?3 AND spent_at_ms IS NULL AND NOT EXISTS
			(SELECT 1 FROM families WHERE id = family_id AND revoked_at_ms IS NOT NULL)
		RETURNING family_id, user_id`
	markSpentQuery = `UPDATE refresh_tokens SET spent_at_ms = ?1, successor = ?2 WHERE jti = ?3`
	tokenQuery     = `SELECT r.jti, r.family_id, r.user_id, r.issued_at, r.expires_at,
			r.access_jti, r.access_expires_at, r.spent_at_ms, r.successor, f.revoked_at_ms
		FROM refresh_tokens r JOIN families f ON f.id = r.family_id WHERE r.jti = ?`
	revokeFamilyQuery = `UPDATE families SET revoked_at_ms = ?, revoke_reason = ?
		WHERE id = ? AND revoked_at_ms IS NULL`
	userQuery = `SELECT id, sub, email, first_name, last_name FROM users WHERE id = ?`
)

// prepare prepares every statement, writer ones on w and reader ones on r.
func (st *statements) prepare(ctx context.Context, w, r *sql.DB) error {
	list := []struct {
		dst   **sql.Stmt
		db    *sql.DB
		query string
	}{
		{&st.upsertUser, w, upsertUserQuery},
		{&st.insertFamily, w, insertFamilyQuery},
		{&st.insertToken, w, insertTokenQuery},
		{&st.spendToken, w, spendQuery},
		{&st.markSpent, w, markSpentQuery},
		{&st.lookupToken, w, tokenQuery},
		{&st.revokeFamily, w, revokeFamilyQuery},
		{&st.readToken, r, tokenQuery},
		{&st.readUser, r, userQuery},
	}
	for _, p := range list {
		stmt, err := p.db.PrepareContext(ctx, p.query)
		if err != nil {
			return fmt.Errorf("refserver: prepare statement: %w", err)
		}
		*p.dst = stmt
	}
	return nil
}

// close closes the statements that were prepared.
func (st *statements) close() error {
	var errs []error
	for _, stmt := range []*sql.Stmt{
		st.upsertUser, st.insertFamily, st.insertToken, st.spendToken, st.markSpent,
		st.lookupToken, st.revokeFamily, st.readToken, st.readUser,
	} {
		if stmt != nil {
			errs = append(errs, stmt.Close())
		}
	}
	return errors.Join(errs...)
}
