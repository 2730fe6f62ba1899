package refserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// racyWindow is how long the racy-rotation fault waits between its check and its write:
// long enough that concurrent refreshes of one token all pass the check.
const racyWindow = 20 * time.Millisecond

// rotationPolicy is how a store rotates refresh tokens: the grace window, and the faults
// that change rotation.
type rotationPolicy struct {
	grace          time.Duration // duplicates within it get the stored successor
	keepSpent      bool          // no-blacklist: the presented token is never spent
	unsaved        bool          // unsaved-rotation: the successor is not recorded
	noFamilyRevoke bool          // no-family-revoke: reuse is refused but revokes nothing
	racy           bool          // racy-rotation: check, pause, then write unconditionally
}

// rotate spends the refresh token jti and records next as its successor, taking the
// family and user from the spent token. It returns the grant to answer with: next, or,
// for a duplicate within the grace window, the successor recorded by the first rotation.
//
// A token already spent outside the grace window is reuse: its family is revoked and
// rotate returns errReused. A token of a revoked family is errRevoked; one never recorded
// is errUnknownToken.
func (s *store) rotate(ctx context.Context, jti string, next grant, now time.Time) (grant,
	error) {
	switch {
	case s.policy.racy:
		return s.rotateRacy(ctx, jti, next, now)
	case s.policy.keepSpent:
		return s.rotateKeeping(ctx, jti, next, now)
	}

	var out grant
	var outcome error
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		err := tx.StmtContext(ctx, s.stmts.spendToken).QueryRowContext(ctx,
			millis(now), next.JTI, jti).Scan(&next.FamilyID, &next.UserID)
		switch {
		case err == nil:
			out = next
			if s.policy.unsaved {
				return nil
			}
			return s.insertGrant(ctx, tx, next)
		case errors.Is(err, sql.ErrNoRows):
			out, outcome = s.refuseSpent(ctx, tx, jti, now)
			return ignoreOutcome(outcome)
		default:
			return fmt.Errorf("refserver: spend refresh token: %w", err)
		}
	})
	if err != nil {
		return grant{}, err
	}
	return out, outcome
}

// refuseSpent decides what a token the spend statement did not spend gets: the stored
// successor within the grace window, or a refusal (revoking the family on reuse).
func (s *store) refuseSpent(ctx context.Context, tx *sql.Tx, jti string, now time.Time) (grant,
	error) {
	lookup := tx.StmtContext(ctx, s.stmts.lookupToken)
	t, err := scanToken(lookup.QueryRowContext(ctx, jti))
	if err != nil {
		return grant{}, err
	}
	if t.revokedAt.Valid {
		return grant{}, errRevoked
	}
	if !t.spentAt.Valid {
		return grant{}, fmt.Errorf("refserver: refresh token %s neither spent nor revoked",
			fingerprint(jti))
	}

	within := now.Sub(time.UnixMilli(t.spentAt.Int64)) <= s.policy.grace
	if within && s.policy.grace > 0 && t.successor.Valid {
		succ, err := scanToken(lookup.QueryRowContext(ctx, t.successor.String))
		if err == nil {
			return succ.grant, nil
		}
		if !errors.Is(err, errUnknownToken) {
			return grant{}, err
		}
	}

	if !s.policy.noFamilyRevoke {
		if err := s.revokeFamily(ctx, tx, t.FamilyID, "reuse", now); err != nil {
			return grant{}, err
		}
	}
	return grant{}, errReused
}

// rotateKeeping is rotation under the no-blacklist fault: the successor is recorded, but
// the presented token is never spent.
func (s *store) rotateKeeping(ctx context.Context, jti string, next grant, now time.Time) (grant,
	error) {
	var outcome error
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		lookup := tx.StmtContext(ctx, s.stmts.lookupToken)
		t, err := scanToken(lookup.QueryRowContext(ctx, jti))
		if err == nil {
			err = t.usable()
		}
		if err != nil {
			outcome = err
			return ignoreOutcome(err)
		}
		next.FamilyID, next.UserID = t.FamilyID, t.UserID
		return s.insertGrant(ctx, tx, next)
	})
	if err != nil {
		return grant{}, err
	}
	return next, outcome
}

// rotateRacy is rotation under the racy-rotation fault, the check-then-act bug: it reads
// the token, pauses, then spends it without a condition, so every request that read the
// token before the first write succeeds and forks the family.
func (s *store) rotateRacy(ctx context.Context, jti string, next grant, now time.Time) (grant,
	error) {
	t, err := scanToken(s.stmts.readToken.QueryRowContext(ctx, jti))
	if err != nil {
		return grant{}, err
	}
	if t.revokedAt.Valid {
		return grant{}, errRevoked
	}
	if t.spentAt.Valid {
		var out grant
		var outcome error
		err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
			out, outcome = s.refuseSpent(ctx, tx, jti, now)
			return ignoreOutcome(outcome)
		})
		return out, errors.Join(err, outcome)
	}

	timer := time.NewTimer(racyWindow)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return grant{}, fmt.Errorf("refserver: rotate: %w", ctx.Err())
	case <-timer.C:
	}

	next.FamilyID, next.UserID = t.FamilyID, t.UserID
	err = s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.StmtContext(ctx, s.stmts.markSpent).ExecContext(ctx, millis(now),
			next.JTI, jti)
		if err != nil {
			return fmt.Errorf("refserver: spend refresh token: %w", err)
		}
		return s.insertGrant(ctx, tx, next)
	})
	if err != nil {
		return grant{}, err
	}
	return next, nil
}
