// Package createofficialaccount is v4/official_account_open_http_svc/create_official_account:
// create an official account owned by an imported account.
//
// Rules (docs/wire.md sections 4, 5 and 7): Owner_Account is required and must be imported, Name is
// required (1 to 150 bytes), the other fields have their byte limits and MaxSubscriberNum is 1 to
// 2147483647 (default 100000): 6017 otherwise. OfficialAccountUserID, when given, is a custom ID
// (130007 when malformed or in the generated form, 130008 when taken); when absent an ID
// @TOA#_@TOA#xxxxxxxx is generated, drawn again on a collision. The ID of a destroyed official
// account is free again and may be reused.
//
// When a callback URL is configured, OfficialAccount.CallbackBeforeCreateOfficialAccount is sent
// once the request is known to be valid, before any transaction opens; an answer with a non-zero
// ErrorCode refuses the creation: the REST caller gets the webhook's own ErrorCode and ErrorInfo
// when the code is in Tencent's custom range 120001-130000, else 20006; a failed or timed-out call
// lets it go ahead. The
// checks are made again inside the transaction. OfficialAccount.CallbackAfterCreateOfficialAccount
// goes out through the outbox. The owner is not subscribed.
//
// Internal to this module: not a supported API for other modules.
package createofficialaccount

import (
	"context"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/official"
	"github.com/chatfollow/chatfollow/shared/outbox"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// idAttempts bounds how often a generated ID is drawn again after a collision; with 62^8 IDs a
// second draw is already rare.
const idAttempts = 8

// Operation is create_official_account.
var Operation = official.Handle(protocol.CommandCreateOfficialAccount, createOfficialAccount)

func createOfficialAccount(ctx context.Context, deps rest.Deps, call *rest.Call, req *protocol.CreateOfficialAccountRequest) (*protocol.CreateOfficialAccountResponse, error) {
	owner, err := userid.Required(envelope.OfficialAccount, "Owner_Account", req.OwnerAccount)
	if err != nil {
		return nil, err
	}
	if req.Name == nil {
		return nil, envelope.Errorf(protocol.CodeOfficialParam, "Name is required")
	}
	if err := official.CheckFields(req.OfficialAccountFields); err != nil {
		return nil, err
	}
	custom := ""
	if req.OfficialAccountUserID != nil {
		custom = *req.OfficialAccountUserID
		if err := official.CheckCustomID("OfficialAccountUserID", custom); err != nil {
			return nil, err
		}
	}
	now := deps.Now()
	oa := official.ApplyFields(req.OfficialAccountFields, store.OfficialAccount{
		ID: custom, Owner: owner, MaxSubscribers: official.DefaultMaxSubscriberNum, CreatedAt: now,
	})

	if deps.Sender != nil {
		// Ask the app only about a creation that would succeed, and outside any transaction.
		if err := deps.Store.View(ctx, func(tx store.Tx) error { return check(ctx, tx, oa) }); err != nil {
			return nil, err
		}
		answer, ok := official.Ask(ctx, deps.Sender, call.ClientIP, protocol.BeforeCreateOfficialAccount{
			CallbackCommand: protocol.CallbackBeforeCreateOfficialAccount, OperatorAccount: call.Identifier,
			OwnerAccount: owner, Name: oa.Name, EventTime: now.UnixMilli(),
		})
		if ok && answer.ErrorCode != 0 {
			return nil, refusal(answer.ErrorCode, answer.ErrorInfo)
		}
	}

	var resp protocol.CreateOfficialAccountResponse
	err = deps.Outbox.Update(ctx, call.ClientIP, func(tx store.Tx, events *outbox.Events) error {
		if err := check(ctx, tx, oa); err != nil {
			return err
		}
		created := oa
		if err := insert(ctx, tx, &created); err != nil {
			return err
		}
		events.Add(created.ID, protocol.AfterCreateOfficialAccount{
			CallbackCommand: protocol.CallbackAfterCreateOfficialAccount, OperatorAccount: call.Identifier,
			OfficialAccount: created.ID, OwnerAccount: owner, Name: created.Name, EventTime: now.UnixMilli(),
		})
		resp.OfficialAccountUserID = created.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &resp, nil
}

// check makes the checks that depend on stored data: the owner is imported (6017) and a custom
// ID is free (130008). Inside Update it locks the owner's account.
func check(ctx context.Context, tx store.Tx, oa store.OfficialAccount) error {
	accounts, err := tx.Accounts(ctx, []string{oa.Owner})
	if err != nil {
		return err
	}
	if _, ok := accounts[oa.Owner]; !ok {
		return envelope.Errorf(protocol.CodeOfficialParam, "Owner_Account %s is not imported", oa.Owner)
	}
	if oa.ID == "" {
		return nil
	}
	existing, err := tx.OfficialAccounts(ctx, []string{oa.ID})
	if err != nil {
		return err
	}
	if _, taken := existing[oa.ID]; taken {
		return errTaken(oa.ID)
	}
	return nil
}

// insert stores oa under its custom ID, or under a newly generated one that it sets.
func insert(ctx context.Context, tx store.Tx, oa *store.OfficialAccount) error {
	if oa.ID != "" {
		ok, err := tx.CreateOfficialAccount(ctx, *oa)
		if err == nil && !ok {
			err = errTaken(oa.ID)
		}
		return err
	}
	for range idAttempts {
		id, err := official.NewID()
		if err != nil {
			return err
		}
		oa.ID = id
		if ok, err := tx.CreateOfficialAccount(ctx, *oa); err != nil || ok {
			return err
		}
	}
	return envelope.Errorf(protocol.CodeOfficialInternal, "no free official account ID found, retry")
}

// refusal is the answer to a creation the before-create webhook refused: its own ErrorCode and
// ErrorInfo when the code is in Tencent's custom range 120001-130000, else 20006.
func refusal(code int, info string) error {
	if c := protocol.Code(code); c >= protocol.CodeCustomRefusalMin && c <= protocol.CodeCustomRefusalMax {
		if info == "" { // every failure names its reason
			info = "the before-create webhook refused to create the official account"
		}
		return &envelope.Error{Code: c, Info: info}
	}
	return envelope.Errorf(protocol.CodeOfficialRefused, "the before-create webhook refused to create the official account")
}

func errTaken(id string) error {
	return envelope.Errorf(protocol.CodeOfficialIDTaken, "official account ID %s is already in use", id)
}
