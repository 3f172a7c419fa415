package protocol

// The follow service, v4/follow (docs/wire.md section 2).

// FollowAddRequest is the body of follow_add: From_Account follows up to 20 accounts.
type FollowAddRequest struct {
	FromAccount *string         `json:"From_Account,omitzero"`
	FollowItem  []FollowAddItem `json:"FollowItem,omitzero"`
}

// FollowAddItem is one account to follow.
type FollowAddItem struct {
	ToAccount *string `json:"To_Account,omitzero"`
}

// FollowAddResponse lists one result per distinct target, in request order.
type FollowAddResponse struct {
	ResultItem []FollowResult `json:"ResultItem"`
}

// FollowResult is a per-target outcome of follow_add and follow_delete.
type FollowResult struct {
	ToAccount  string `json:"To_Account"`
	ResultCode Code   `json:"ResultCode"`
	ResultInfo string `json:"ResultInfo"`
}

// FollowTargets is the request shape of follow_delete, follow_check and follow_get_info:
// From_Account and a plain list of UserIDs.
type FollowTargets struct {
	FromAccount *string  `json:"From_Account,omitzero"`
	ToAccount   []string `json:"To_Account,omitzero"`
}

// FollowDeleteRequest is the body of follow_delete: From_Account unfollows up to 20 accounts.
type FollowDeleteRequest = FollowTargets

// FollowDeleteResponse lists one result per distinct target, in request order.
type FollowDeleteResponse struct {
	ResultItem []FollowResult `json:"ResultItem"`
}

// FollowCheckRequest is the body of follow_check: the relation with up to 100 accounts.
type FollowCheckRequest = FollowTargets

// FollowCheckResponse lists one result per distinct target, in request order.
type FollowCheckResponse struct {
	ResultItem []FollowCheckResult `json:"ResultItem"`
}

// FollowCheckResult is the relation with one target.
type FollowCheckResult struct {
	ToAccount  string `json:"To_Account"`
	ResultCode Code   `json:"ResultCode"`
	ResultInfo string `json:"ResultInfo"`
	FollowType int    `json:"FollowType"`
}

// The FollowType values of follow_check.
const (
	FollowTypeNone       = 0
	FollowTypeFollowedBy = 1 // To_Account follows From_Account only
	FollowTypeFollowing  = 2 // From_Account follows To_Account only
	FollowTypeMutual     = 3
)

// The FollowType values of follow_get: which list to page through.
const (
	FollowListFollowers = 1
	FollowListFollowing = 2
	FollowListMutual    = 3
)

// FollowGetRequest is the body of follow_get: one page of a list, newest first. WantNum absent or
// 0 means 100.
type FollowGetRequest struct {
	FromAccount *string `json:"From_Account,omitzero"`
	FollowType  *int    `json:"FollowType,omitzero"`
	StartCursor string  `json:"StartCursor,omitzero"`
	WantNum     int     `json:"WantNum,omitzero"`
}

// FollowGetResponse is one page; NextCursor is "" on the last page.
type FollowGetResponse struct {
	FollowItem []FollowGetItem `json:"FollowItem"`
	NextCursor string          `json:"NextCursor"`
}

// FollowGetItem is one account of the list.
type FollowGetItem struct {
	ToAccount       string        `json:"To_Account"`
	FollowTime      int64         `json:"FollowTime"`
	ProfileItem     []ProfileItem `json:"ProfileItem"`
	ProfileSequence int64         `json:"profile_sequence"`
}

// ProfileItem is one imported profile field of an account.
type ProfileItem struct {
	Tag   string `json:"Tag"`
	Value string `json:"Value"`
}

// Profile tags of the imported Nick and FaceUrl.
const (
	TagProfileNick  = "Tag_Profile_IM_Nick"
	TagProfileImage = "Tag_Profile_IM_Image"
)

// FollowGetInfoRequest is the body of follow_get_info: the counts of up to 20 accounts.
type FollowGetInfoRequest = FollowTargets

// FollowGetInfoResponse lists one result per distinct target, in request order.
type FollowGetInfoResponse struct {
	FollowInfo []FollowGetInfoItem `json:"FollowInfo"`
}

// FollowGetInfoItem is the counts of one target.
type FollowGetInfoItem struct {
	ToAccount            string `json:"To_Account"`
	ResultCode           Code   `json:"ResultCode"`
	ResultInfo           string `json:"ResultInfo"`
	FollowerCount        int64  `json:"FollowerCount"`
	FollowingCount       int64  `json:"FollowingCount"`
	MutualFollowingCount int64  `json:"MutualFollowingCount"`
}
