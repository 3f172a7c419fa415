package protocol

// The official-account service, v4/official_account_open_http_svc (docs/wire.md section 4).

// OfficialAccountFields are the writable fields of an official account as a request gives them;
// nil means absent.
type OfficialAccountFields struct {
	Name             *string `json:"Name,omitzero"`
	Introduction     *string `json:"Introduction,omitzero"`
	FaceURL          *string `json:"FaceUrl,omitzero"`
	Organization     *string `json:"Organization,omitzero"`
	CustomString     *string `json:"CustomString,omitzero"`
	MaxSubscriberNum *int64  `json:"MaxSubscriberNum,omitzero"`
}

// CreateOfficialAccountRequest is the body of create_official_account. Without
// OfficialAccountUserID an ID is generated.
type CreateOfficialAccountRequest struct {
	OwnerAccount          *string `json:"Owner_Account,omitzero"`
	OfficialAccountUserID *string `json:"OfficialAccountUserID,omitzero"`
	OfficialAccountFields
}

// CreateOfficialAccountResponse carries the ID of the new official account.
type CreateOfficialAccountResponse struct {
	OfficialAccountUserID string `json:"OfficialAccountUserID"`
}

// DestroyOfficialAccountRequest is the body of destroy_official_account. Its answer has no
// members of its own.
type DestroyOfficialAccountRequest struct {
	OfficialAccount *string `json:"Official_Account,omitzero"`
}

// ModifyOfficialAccountBaseInfoRequest is the body of modify_official_account_base_info: the
// fields given change, the others keep their values. Its answer has no members of its own.
type ModifyOfficialAccountBaseInfoRequest struct {
	OfficialAccount *string `json:"Official_Account,omitzero"`
	OfficialAccountFields
}

// ResponseFilter is the ResponseFilter of get_official_account_info and
// get_subscribed_official_account_list: absent lists select every field.
type ResponseFilter struct {
	OfficialAccountBaseInfoFilter []string `json:"OfficialAccountBaseInfoFilter,omitzero"`
	SelfInfoFilter                []string `json:"SelfInfoFilter,omitzero"`
}

// OfficialAccountBaseInfo is the base information of an official account in an answer; fields
// not selected are left out. Times are Unix seconds.
type OfficialAccountBaseInfo struct {
	CreateTime       *int64  `json:"CreateTime,omitzero"`
	Name             *string `json:"Name,omitzero"`
	OwnerAccount     *string `json:"Owner_Account,omitzero"`
	LastMsgTime      *int64  `json:"LastMsgTime,omitzero"`
	SubscriberNum    *int64  `json:"SubscriberNum,omitzero"`
	Introduction     *string `json:"Introduction,omitzero"`
	FaceURL          *string `json:"FaceUrl,omitzero"`
	Organization     *string `json:"Organization,omitzero"`
	CustomString     *string `json:"CustomString,omitzero"`
	MaxSubscriberNum *int64  `json:"MaxSubscriberNum,omitzero"`
}

// SelfInfo is a subscriber's own subscription in an answer; fields not selected are left out.
type SelfInfo struct {
	SubscribeTime *int64  `json:"SubscribeTime,omitzero"`
	MsgFlag       *string `json:"MsgFlag,omitzero"`
	CustomString  *string `json:"CustomString,omitzero"`
}

// GetOfficialAccountInfoRequest is the body of get_official_account_info: up to 50 official
// accounts.
type GetOfficialAccountInfoRequest struct {
	OfficialAccountIDList []OfficialAccountIDItem `json:"OfficialAccountIdList,omitzero"`
	ResponseFilter        *ResponseFilter         `json:"ResponseFilter,omitzero"`
}

// OfficialAccountIDItem names one official account.
type OfficialAccountIDItem struct {
	OfficialAccount *string `json:"Official_Account,omitzero"`
}

// GetOfficialAccountInfoResponse lists one item per distinct official account, in request order.
type GetOfficialAccountInfoResponse struct {
	OfficialAccountInfoList []GetOfficialAccountInfoItem `json:"OfficialAccountInfoList"`
}

// GetOfficialAccountInfoItem is the result for one official account.
type GetOfficialAccountInfoItem struct {
	OfficialAccount string `json:"Official_Account"`
	ResultCode      Code   `json:"ResultCode"`
	ResultInfo      string `json:"ResultInfo"`
	OfficialAccountBaseInfo
}

// SubscriberItem is an item naming one account, as in SubscriberList.
type SubscriberItem struct {
	SubscriberAccount *string `json:"Subscriber_Account,omitzero"`
}

// SubscriberResult is the outcome for one account of add_subscriber and delete_subscriber.
type SubscriberResult struct {
	SubscriberAccount string `json:"Subscriber_Account"`
	Result            int    `json:"Result"`
}

// The values of SubscriberResult.Result.
const (
	SubscriberFailed        = 0
	SubscriberAdded         = 1 // add_subscriber: subscribed now
	SubscriberSubscribed    = 2 // add_subscriber: already subscribed
	SubscriberRemoved       = 1 // delete_subscriber: unsubscribed now
	SubscriberNotSubscribed = 2 // delete_subscriber: was not subscribed
)

// AddSubscriberRequest is the body of add_subscriber: up to 100 accounts.
type AddSubscriberRequest struct {
	OfficialAccount *string          `json:"Official_Account,omitzero"`
	SubscriberList  []SubscriberItem `json:"SubscriberList,omitzero"`
}

// AddSubscriberResponse lists one result per distinct account, in request order.
type AddSubscriberResponse struct {
	SubscriberList []SubscriberResult `json:"SubscriberList"`
}

// DeleteSubscriberRequest is the body of delete_subscriber: up to 100 accounts, as strings or as
// objects, exactly one of the two.
type DeleteSubscriberRequest struct {
	OfficialAccount        *string          `json:"Official_Account,omitzero"`
	SubscriberToDelAccount []string         `json:"SubscriberToDel_Account,omitzero"`
	SubscriberList         []SubscriberItem `json:"SubscriberList,omitzero"`
}

// DeleteSubscriberResponse lists one result per distinct account, in request order.
type DeleteSubscriberResponse struct {
	SubscriberList []SubscriberResult `json:"SubscriberList"`
}

// ModifySubscriberInfoRequest is the body of modify_subscriber_info. Its answer has no members
// of its own.
type ModifySubscriberInfoRequest struct {
	OfficialAccount   *string `json:"Official_Account,omitzero"`
	SubscriberAccount *string `json:"Subscriber_Account,omitzero"`
	CustomString      *string `json:"CustomString,omitzero"`
}

// GetSubscriberInfoRequest is the body of get_subscriber_info: one page of subscribers.
type GetSubscriberInfoRequest struct {
	OfficialAccount *string `json:"Official_Account,omitzero"`
	Limit           *int64  `json:"Limit,omitzero"`
	Next            string  `json:"Next,omitzero"`
}

// GetSubscriberInfoResponse is one page; Next is "" on the last page.
type GetSubscriberInfoResponse struct {
	SubscriberNum  int64                   `json:"SubscriberNum"`
	Next           string                  `json:"Next"`
	SubscriberList []GetSubscriberInfoItem `json:"SubscriberList"`
}

// GetSubscriberInfoItem is one subscription.
type GetSubscriberInfoItem struct {
	SubscriberAccount string `json:"Subscriber_Account"`
	SubscribeTime     int64  `json:"SubscribeTime"`
	CustomString      string `json:"CustomString"`
	MsgFlag           string `json:"MsgFlag"`
	LastSendMsgTime   int64  `json:"LastSendMsgTime"` // always 0 here: this project sends no messages
}

// GetSubscribedOfficialAccountListRequest is the body of get_subscribed_official_account_list:
// one page of the official accounts an account subscribes to.
type GetSubscribedOfficialAccountListRequest struct {
	SubscriberAccount *string         `json:"Subscriber_Account,omitzero"`
	Limit             *int64          `json:"Limit,omitzero"`
	Next              string          `json:"Next,omitzero"`
	ResponseFilter    *ResponseFilter `json:"ResponseFilter,omitzero"`
}

// GetSubscribedOfficialAccountListResponse is one page; CompleteFlag is 1 and Next "" on the
// last page.
type GetSubscribedOfficialAccountListResponse struct {
	OfficialAccountInfoList []GetSubscribedOfficialAccountListItem `json:"OfficialAccountInfoList"`
	TotalCount              int64                                  `json:"TotalCount"`
	CompleteFlag            int                                    `json:"CompleteFlag"`
	Next                    string                                 `json:"Next"`
}

// GetSubscribedOfficialAccountListItem is one subscribed official account: its selected fields
// and, beside them and in SelfInfo, the selected fields of the subscription.
type GetSubscribedOfficialAccountListItem struct {
	OfficialAccount string `json:"Official_Account"`
	OfficialAccountBaseInfo
	SubscribeTime *int64   `json:"SubscribeTime,omitzero"`
	MsgFlag       *string  `json:"MsgFlag,omitzero"`
	SelfInfo      SelfInfo `json:"SelfInfo,omitzero"`
}
