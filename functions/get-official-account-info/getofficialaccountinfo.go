// Package getofficialaccountinfo is v4/official_account_open_http_svc/get_official_account_info:
// the information of up to 50 official accounts.
//
// OfficialAccountIdList lists 1 to 50 {Official_Account} items (counted before de-duplication;
// 6017 otherwise). Each distinct ID gets one item, in request order: ResultCode 0 with the
// account's fields, 130007 for a malformed ID, 130004 for one that does not exist. Without
// ResponseFilter.OfficialAccountBaseInfoFilter every field is returned; with it, only the fields
// it names (an unknown name is 6017). Times are Unix seconds.
//
// Internal to this module: not a supported API for other modules.
package getofficialaccountinfo

import (
	"context"
	"slices"

	"github.com/chatfollow/chatfollow/shared/envelope"
	"github.com/chatfollow/chatfollow/shared/official"
	"github.com/chatfollow/chatfollow/shared/protocol"
	"github.com/chatfollow/chatfollow/shared/rest"
	"github.com/chatfollow/chatfollow/shared/store"
	"github.com/chatfollow/chatfollow/shared/userid"
)

// Operation is get_official_account_info.
var Operation = official.Handle(protocol.CommandGetOfficialAccountInfo, getOfficialAccountInfo)

func getOfficialAccountInfo(ctx context.Context, deps rest.Deps, call *rest.Call, req *protocol.GetOfficialAccountInfoRequest) (*protocol.GetOfficialAccountInfoResponse, error) {
	if err := userid.CheckCount(envelope.OfficialAccount, "OfficialAccountIdList", len(req.OfficialAccountIDList), official.MaxInfoIDs); err != nil {
		return nil, err
	}
	ids := make([]string, len(req.OfficialAccountIDList))
	for i, it := range req.OfficialAccountIDList {
		if it.OfficialAccount == nil {
			return nil, envelope.Errorf(protocol.CodeOfficialParam, "OfficialAccountIdList[%d].Official_Account is required", i)
		}
		ids[i] = *it.OfficialAccount
	}
	ids = userid.Unique(ids)
	var filter []string
	if req.ResponseFilter != nil {
		filter = req.ResponseFilter.OfficialAccountBaseInfoFilter
	}
	fields, err := official.Select("OfficialAccountBaseInfoFilter", filter, official.BaseFields)
	if err != nil {
		return nil, err
	}
	var found map[string]store.OfficialAccount
	err = deps.Store.View(ctx, func(tx store.Tx) error {
		found, err = tx.OfficialAccounts(ctx, slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !official.ValidID(id) }))
		return err
	})
	if err != nil {
		return nil, err
	}
	resp := protocol.GetOfficialAccountInfoResponse{OfficialAccountInfoList: make([]protocol.GetOfficialAccountInfoItem, len(ids))}
	for i, id := range ids {
		info := protocol.GetOfficialAccountInfoItem{OfficialAccount: id}
		oa, ok := found[id]
		switch {
		case !official.ValidID(id):
			info.ResultCode, info.ResultInfo = protocol.CodeOfficialBadID, "Official_Account is not an official account ID"
		case !ok:
			info.ResultCode, info.ResultInfo = protocol.CodeOfficialNotFound, "official account does not exist or was destroyed"
		default:
			info.OfficialAccountBaseInfo = official.NewBaseInfo(oa, fields)
		}
		resp.OfficialAccountInfoList[i] = info
	}
	return &resp, nil
}
