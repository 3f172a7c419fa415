package protocol

// The account service, v4/im_open_login_svc (docs/wire.md section 3).

// AccountImportRequest is the body of account_import: import one account, or update the profile
// of an imported one. Its answer has no members of its own.
type AccountImportRequest struct {
	UserID  *string `json:"UserID,omitzero"`
	Nick    *string `json:"Nick,omitzero"`
	FaceURL *string `json:"FaceUrl,omitzero"`
}

// MultiAccountImportRequest is the body of multiaccount_import: Accounts or AccountList, never
// both.
type MultiAccountImportRequest struct {
	Accounts    []string                 `json:"Accounts,omitzero"`
	AccountList []MultiAccountImportItem `json:"AccountList,omitzero"`
}

// MultiAccountImportItem is one account of AccountList.
type MultiAccountImportItem struct {
	UserID  *string `json:"UserID,omitzero"`
	Nick    *string `json:"Nick,omitzero"`
	FaceURL *string `json:"FaceUrl,omitzero"`
}

// MultiAccountImportResponse lists the accounts not imported, in request order.
type MultiAccountImportResponse struct {
	FailAccounts []string `json:"FailAccounts"`
}

// UserIDItem is an object naming one account, as in CheckItem and DeleteItem.
type UserIDItem struct {
	UserID *string `json:"UserID,omitzero"`
}

// AccountCheckRequest is the body of account_check: whether up to 100 accounts are imported.
type AccountCheckRequest struct {
	CheckItem []UserIDItem `json:"CheckItem,omitzero"`
}

// AccountCheckResponse lists one result per distinct UserID, in request order.
type AccountCheckResponse struct {
	ResultItem []AccountCheckResult `json:"ResultItem"`
}

// AccountCheckResult is the status of one account.
type AccountCheckResult struct {
	UserID        string `json:"UserID"`
	ResultCode    Code   `json:"ResultCode"`
	ResultInfo    string `json:"ResultInfo"`
	AccountStatus string `json:"AccountStatus"`
}

// The values of AccountStatus.
const (
	AccountImported    = "Imported"
	AccountNotImported = "NotImported"
)

// AccountDeleteRequest is the body of account_delete: delete up to 100 accounts.
type AccountDeleteRequest struct {
	DeleteItem []UserIDItem `json:"DeleteItem,omitzero"`
}

// AccountDeleteResponse lists one result per distinct UserID, in request order.
type AccountDeleteResponse struct {
	ResultItem []AccountDeleteResult `json:"ResultItem"`
}

// AccountDeleteResult is the outcome for one account.
type AccountDeleteResult struct {
	ResultCode Code   `json:"ResultCode"`
	ResultInfo string `json:"ResultInfo"`
	UserID     string `json:"UserID"`
}
