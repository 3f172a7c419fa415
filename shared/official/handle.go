package official

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
)

// Rate is Tencent's calls per second for each official-account API, before CHAT_RATE_LIMIT.
const Rate = 200

// Handle declares the official-account operation command (rest.Handle with this service and
// Rate).
func Handle[Req, Resp any](command string,
	serve func(ctx context.Context, deps rest.Deps, call *rest.Call, req *Req) (*Resp, error)) rest.Operation {
	return rest.Handle(envelope.OfficialAccount, command, Rate, serve)
}

// HandleOne declares an operation on the one official account its request names in
// Official_Account, which target reads. That field is checked first, before the operation's own
// rules (RequiredID: 6017 when absent, 130007 when malformed), and serve gets the checked ID.
func HandleOne[Req, Resp any](command string, target func(*Req) *string,
	serve func(ctx context.Context, deps rest.Deps, call *rest.Call, id string, req *Req) (*Resp, error)) rest.Operation {
	return Handle(command, func(ctx context.Context, deps rest.Deps, call *rest.Call, req *Req) (*Resp, error) {
		id, err := RequiredID("Official_Account", target(req))
		if err != nil {
			return nil, err
		}
		return serve(ctx, deps, call, id, req)
	})
}

// Get reads the official account id in tx: 130004 when it does not exist.
func Get(ctx context.Context, tx store.Tx, id string) (store.OfficialAccount, error) {
	found, err := tx.OfficialAccounts(ctx, []string{id})
	if err != nil {
		return store.OfficialAccount{}, err
	}
	oa, ok := found[id]
	if !ok {
		return store.OfficialAccount{}, NotFound(id)
	}
	return oa, nil
}
