package receiver

import (
	"context"
	"fmt"

	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/store"
)

// apply changes the mirror by after-event b (before-events change nothing). Every fact moves
// only forward in EventTime (store.ReceiverTx), so apply is idempotent and order-independent
// except between events of equal EventTime, which apply in the order they come:
//
//   - FollowAdd / FollowDelete: each listed edge present / absent.
//   - CreateOfficialAccount: the official account exists; Owner and Name are set, and
//     Introduction, FaceUrl and Organization cleared (a new account has none).
//   - OfficialAccountInfoChanged: Name, and Introduction, FaceUrl, Organization set; it exists.
//   - OfficialAccountDestroyed: it no longer exists; Owner and Name set; every subscription to it
//     made at or before the event ends (Tencent sends no DeleteSubscriber for them).
//
// An official account's facts are kept in groups with a time each (Owner; Name; Introduction,
// FaceUrl and Organization; existence), so that events setting different groups commute.
//   - OfficialAccountFull: the time it was last full; it exists.
//   - AddSubscriber / DeleteSubscriber: each listed subscription present / absent; the official
//     account exists. An add older than the account's latest destruction is ignored.
func apply(ctx context.Context, tx store.Tx, cmd string, b protocol.CallbackBody) error {
	switch b := b.(type) {
	case protocol.AfterFollowAdd:
		tos := make([]string, len(b.FollowList))
		for i, t := range b.FollowList {
			tos[i] = t.ToAccount
		}
		return tx.SetMirrorFollows(ctx, b.FromAccount, tos, true, b.EventTime)
	case protocol.AfterFollowDelete:
		return tx.SetMirrorFollows(ctx, b.FromAccount, b.ToAccount, false, b.EventTime)
	case protocol.AfterCreateOfficialAccount:
		return changeOfficial(ctx, tx, b.OfficialAccount, func(oa *store.MirrorOfficialAccount) error {
			t := b.EventTime
			since(&oa.OwnerAt, t, func() { oa.Owner = b.OwnerAccount })
			since(&oa.NameAt, t, func() { oa.Name = b.Name })
			since(&oa.ProfileAt, t, func() { oa.Introduction, oa.FaceURL, oa.Organization = "", "", "" })
			since(&oa.StateAt, t, func() { oa.Present = true })
			return nil
		})
	case protocol.AfterOfficialAccountInfoChanged:
		return changeOfficial(ctx, tx, b.OfficialAccount, func(oa *store.MirrorOfficialAccount) error {
			t := b.EventTime
			since(&oa.NameAt, t, func() { oa.Name = b.Name })
			since(&oa.ProfileAt, t, func() { oa.Introduction, oa.FaceURL, oa.Organization = b.Introduction, b.FaceURL, b.Organization })
			since(&oa.StateAt, t, func() { oa.Present = true })
			return nil
		})
	case protocol.AfterOfficialAccountDestroyed:
		return changeOfficial(ctx, tx, b.OfficialAccount, func(oa *store.MirrorOfficialAccount) error {
			t := b.EventTime
			since(&oa.OwnerAt, t, func() { oa.Owner = b.OwnerAccount })
			since(&oa.NameAt, t, func() { oa.Name = b.Name })
			since(&oa.StateAt, t, func() { oa.Present = false })
			oa.DestroyedAt = max(oa.DestroyedAt, t)
			return tx.EndMirrorSubscriptions(ctx, b.OfficialAccount, t)
		})
	case protocol.AfterOfficialAccountFull:
		return changeOfficial(ctx, tx, b.OfficialAccount, func(oa *store.MirrorOfficialAccount) error {
			oa.FullAt = max(oa.FullAt, b.EventTime)
			since(&oa.StateAt, b.EventTime, func() { oa.Present = true })
			return nil
		})
	case protocol.Subscribers:
		add := cmd == protocol.CallbackAfterAddSubscriber
		if !add && cmd != protocol.CallbackAfterDeleteSubscriber {
			return nil // the before-webhook
		}
		return changeOfficial(ctx, tx, b.OfficialAccount, func(oa *store.MirrorOfficialAccount) error {
			t := b.EventTime
			if add && t < oa.DestroyedAt {
				return nil
			}
			since(&oa.StateAt, t, func() { oa.Present = true })
			return tx.SetMirrorSubscriptions(ctx, b.OfficialAccount, b.Accounts(), add, t)
		})
	}
	return nil
}

// changeOfficial applies change to official account id's mirror row, locked meanwhile.
func changeOfficial(ctx context.Context, tx store.Tx, id string, change func(*store.MirrorOfficialAccount) error) error {
	oa, err := tx.LockMirrorOfficialAccount(ctx, id)
	if err != nil {
		return err
	}
	if err := change(&oa); err != nil {
		return err
	}
	return tx.PutMirrorOfficialAccount(ctx, oa)
}

// since runs set, which sets a group of facts as event time t says, unless an event later than t
// already set them (*at is their time); at moves to t.
func since(at *int64, t int64, set func()) {
	if t >= *at {
		set()
		*at = t
	}
}

// replayPage is how many logged events Replay reads at a time.
const replayPage = 500

// Replay rebuilds the mirror from the event log: it empties the mirror and applies every
// logged after-event again, in log order, in one transaction. It returns how many events it
// applied. Because applying is idempotent and moves facts only forward in EventTime, the result
// is the mirror the receivers built as the events arrived.
func (r *Receiver) Replay(ctx context.Context) (int, error) {
	applied := 0
	err := r.store.Update(ctx, func(tx store.Tx) error {
		applied = 0
		if err := tx.ResetMirror(ctx); err != nil {
			return err
		}
		for after := int64(0); ; {
			events, err := tx.ReceivedEvents(ctx, store.EventQuery{After: after, Limit: replayPage})
			if err != nil {
				return err
			}
			for _, e := range events {
				after = e.ID
				cmd, ok := commands[e.Command]
				if !ok || cmd.before {
					continue
				}
				b, err := cmd.decode(e.Body, cmd.service)
				if err != nil {
					return fmt.Errorf("replay event %d: %w", e.ID, err)
				}
				if err := apply(ctx, tx, e.Command, b); err != nil {
					return fmt.Errorf("replay event %d: %w", e.ID, err)
				}
				applied++
			}
			if len(events) < replayPage {
				return nil
			}
		}
	})
	return applied, err
}
