package protocol

// The services of /v4/<service>/<command> (docs/wire.md sections 2 to 4).
const (
	ServiceFollow          = "follow"
	ServiceAccount         = "im_open_login_svc"
	ServiceOfficialAccount = "official_account_open_http_svc"
)

// The REST commands, by service.
const (
	CommandFollowAdd     = "follow_add"
	CommandFollowDelete  = "follow_delete"
	CommandFollowCheck   = "follow_check"
	CommandFollowGet     = "follow_get"
	CommandFollowGetInfo = "follow_get_info"

	CommandAccountImport      = "account_import"
	CommandMultiAccountImport = "multiaccount_import"
	CommandAccountCheck       = "account_check"
	CommandAccountDelete      = "account_delete"

	CommandCreateOfficialAccount            = "create_official_account"
	CommandDestroyOfficialAccount           = "destroy_official_account"
	CommandModifyOfficialAccountBaseInfo    = "modify_official_account_base_info"
	CommandGetOfficialAccountInfo           = "get_official_account_info"
	CommandAddSubscriber                    = "add_subscriber"
	CommandDeleteSubscriber                 = "delete_subscriber"
	CommandModifySubscriberInfo             = "modify_subscriber_info"
	CommandGetSubscriberInfo                = "get_subscriber_info"
	CommandGetSubscribedOfficialAccountList = "get_subscribed_official_account_list"
)

// The paths a client POSTs to, with sdkappid, identifier, usersig, random and contenttype=json
// in the query string.
const (
	PathFollowAdd     = "/v4/" + ServiceFollow + "/" + CommandFollowAdd
	PathFollowDelete  = "/v4/" + ServiceFollow + "/" + CommandFollowDelete
	PathFollowCheck   = "/v4/" + ServiceFollow + "/" + CommandFollowCheck
	PathFollowGet     = "/v4/" + ServiceFollow + "/" + CommandFollowGet
	PathFollowGetInfo = "/v4/" + ServiceFollow + "/" + CommandFollowGetInfo

	PathAccountImport      = "/v4/" + ServiceAccount + "/" + CommandAccountImport
	PathMultiAccountImport = "/v4/" + ServiceAccount + "/" + CommandMultiAccountImport
	PathAccountCheck       = "/v4/" + ServiceAccount + "/" + CommandAccountCheck
	PathAccountDelete      = "/v4/" + ServiceAccount + "/" + CommandAccountDelete

	PathCreateOfficialAccount            = "/v4/" + ServiceOfficialAccount + "/" + CommandCreateOfficialAccount
	PathDestroyOfficialAccount           = "/v4/" + ServiceOfficialAccount + "/" + CommandDestroyOfficialAccount
	PathModifyOfficialAccountBaseInfo    = "/v4/" + ServiceOfficialAccount + "/" + CommandModifyOfficialAccountBaseInfo
	PathGetOfficialAccountInfo           = "/v4/" + ServiceOfficialAccount + "/" + CommandGetOfficialAccountInfo
	PathAddSubscriber                    = "/v4/" + ServiceOfficialAccount + "/" + CommandAddSubscriber
	PathDeleteSubscriber                 = "/v4/" + ServiceOfficialAccount + "/" + CommandDeleteSubscriber
	PathModifySubscriberInfo             = "/v4/" + ServiceOfficialAccount + "/" + CommandModifySubscriberInfo
	PathGetSubscriberInfo                = "/v4/" + ServiceOfficialAccount + "/" + CommandGetSubscriberInfo
	PathGetSubscribedOfficialAccountList = "/v4/" + ServiceOfficialAccount + "/" + CommandGetSubscribedOfficialAccountList
)
