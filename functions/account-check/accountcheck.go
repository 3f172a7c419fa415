// Package accountcheck is v4/im_open_login_svc/account_check: whether up to 100 accounts are
// imported. Each distinct UserID gets AccountStatus Imported or NotImported; an invalid UserID is
// item 70402 (NotImported).
//
// Internal to this module: not a supported API for other modules.
package accountcheck

import (
	"context"
	"fmt"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// MaxItems is how many accounts one call may check.
const MaxItems = 100

// The values of AccountStatus.
const (
	Imported    = "Imported"
	NotImported = "NotImported"
)

// Request is the body of account_check.
type Request struct {
	CheckItem []userid.Item `json:"CheckItem"`
}

// Response lists one result per distinct UserID, in request order.
type Response struct {
	ResultItem []Result `json:"ResultItem"`
}

// Result is the status of one account.
type Result struct {
	UserID        string        `json:"UserID"`
	ResultCode    envelope.Code `json:"ResultCode"`
	ResultInfo    string        `json:"ResultInfo"`
	AccountStatus string        `json:"AccountStatus"`
}

// Operation returns account_check bound to deps.
func Operation(deps rest.Deps) rest.Operation {
	return rest.Operation{Service: envelope.Account, Command: "account_check", Rate: 100, Serve: handler{deps}.serve}
}

type handler struct{ deps rest.Deps }

func (h handler) serve(ctx context.Context, call *rest.Call) (any, error) {
	var req Request
	if err := call.Decode(&req); err != nil {
		return nil, err
	}
	ids, err := userid.ItemIDs(envelope.Account, "CheckItem", req.CheckItem, MaxItems)
	if err != nil {
		return nil, err
	}
	var accounts map[string]store.Account
	err = h.deps.Store.View(ctx, func(tx store.Tx) (err error) {
		accounts, err = tx.Accounts(ctx, userid.ValidOnly(ids))
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := Response{ResultItem: make([]Result, len(ids))}
	for i, id := range ids {
		r := Result{UserID: id, AccountStatus: NotImported}
		if _, ok := accounts[id]; ok {
			r.AccountStatus = Imported
		} else if !userid.Valid(id) {
			r.ResultCode, r.ResultInfo = envelope.CodeAccountParam, fmt.Sprintf("UserID must be 1 to %d bytes", userid.MaxLen)
		}
		resp.ResultItem[i] = r
	}
	return resp, nil
}
