package follow

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// Rate is Tencent's calls per second for each follow API, before CHAT_RATE_LIMIT.
const Rate = 200

// Handle declares the follow operation command (rest.Handle with this service and Rate).
func Handle[Req, Resp any](command string,
	serve func(ctx context.Context, deps rest.Deps, call *rest.Call, req *Req) (*Resp, error)) rest.Operation {
	return rest.Handle(envelope.Follow, command, Rate, serve)
}

// HandleTargets declares an operation whose body is protocol.FollowTargets: ParseTargets checks
// it first, with at most max targets, and serve gets From_Account and the distinct targets.
func HandleTargets[Resp any](command string, max int,
	serve func(ctx context.Context, deps rest.Deps, call *rest.Call, from string, targets []string) (*Resp, error)) rest.Operation {
	return Handle(command, func(ctx context.Context, deps rest.Deps, call *rest.Call, req *protocol.FollowTargets) (*Resp, error) {
		from, targets, err := ParseTargets(*req, max)
		if err != nil {
			return nil, err
		}
		return serve(ctx, deps, call, from, targets)
	})
}

// Accounts reads From_Account and the valid targets in tx, keyed by UserID (only the imported
// ones), and returns From_Account's entry with them: 30003 when From_Account is not imported.
func Accounts(ctx context.Context, tx store.Tx, from string, targets []string) (map[string]store.Account, store.Account, error) {
	accounts, err := tx.Accounts(ctx, append([]string{from}, userid.ValidOnly(targets)...))
	if err != nil {
		return nil, store.Account{}, err
	}
	self, err := RequireFrom(accounts, from)
	if err != nil {
		return nil, store.Account{}, err
	}
	return accounts, self, nil
}
