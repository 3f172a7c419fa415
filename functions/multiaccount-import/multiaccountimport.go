// Package multiaccountimport is v4/im_open_login_svc/multiaccount_import: import up to 100
// accounts, given as Accounts (UserIDs) or AccountList (objects with UserID, Nick, FaceUrl),
// never both. Accounts that cannot be imported (an invalid UserID, or a Nick or FaceUrl over 500
// bytes) are listed in FailAccounts and the rest are imported, all in one transaction.
package multiaccountimport

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/profile"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// MaxAccounts is how many accounts one call may import.
const MaxAccounts = 100

// Operation returns multiaccount_import bound to deps.
func Operation(deps rest.Deps) rest.Operation {
	return rest.Operation{Service: envelope.Account, Command: "multiaccount_import", Rate: 100, Serve: handler{deps}.serve}
}

type handler struct{ deps rest.Deps }

type entry struct {
	id     string
	fields profile.Fields
}

func (h handler) serve(ctx context.Context, call *rest.Call) (any, error) {
	var req protocol.MultiAccountImportRequest
	if err := call.Decode(&req); err != nil {
		return nil, err
	}
	entries, err := parse(req)
	if err != nil {
		return nil, err
	}
	resp := protocol.MultiAccountImportResponse{FailAccounts: []string{}}
	var ids []string
	var good []entry
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.id] {
			continue
		}
		seen[e.id] = true
		if !userid.Valid(e.id) || e.fields.Check() != nil {
			resp.FailAccounts = append(resp.FailAccounts, e.id)
			continue
		}
		ids = append(ids, e.id)
		good = append(good, e)
	}
	now := h.deps.Now()
	err = h.deps.Store.Update(ctx, func(tx store.Tx) error {
		accounts, err := tx.Accounts(ctx, ids)
		if err != nil {
			return err
		}
		for _, e := range good {
			current, exists := accounts[e.id]
			if err := tx.PutAccount(ctx, profile.Apply(e.id, current, exists, e.fields, now)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// parse checks the shape: exactly one of the two lists, 1 to 100 items, every UserID present.
func parse(req protocol.MultiAccountImportRequest) ([]entry, error) {
	switch {
	case req.Accounts != nil && req.AccountList != nil:
		return nil, envelope.Errorf(protocol.CodeAccountParam, "give Accounts or AccountList, not both")
	case req.Accounts == nil && req.AccountList == nil:
		return nil, envelope.Errorf(protocol.CodeAccountParam, "Accounts or AccountList is required")
	case req.AccountList != nil:
		if err := userid.CheckCount(envelope.Account, "AccountList", len(req.AccountList), MaxAccounts); err != nil {
			return nil, err
		}
		out := make([]entry, len(req.AccountList))
		for i, e := range req.AccountList {
			if e.UserID == nil {
				return nil, envelope.Errorf(protocol.CodeAccountParam, "AccountList[%d].UserID is required", i)
			}
			out[i] = entry{id: *e.UserID, fields: profile.Fields{Nick: e.Nick, FaceURL: e.FaceURL}}
		}
		return out, nil
	default:
		if err := userid.CheckCount(envelope.Account, "Accounts", len(req.Accounts), MaxAccounts); err != nil {
			return nil, err
		}
		out := make([]entry, len(req.Accounts))
		for i, id := range req.Accounts {
			out[i] = entry{id: id}
		}
		return out, nil
	}
}
