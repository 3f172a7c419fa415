package protocol

// Code is a Tencent Chat error code, carried in the envelope's ErrorCode.
type Code int

// OK is the code of every successful answer.
const OK Code = 0

// Codes of the REST checks shared by every service (wire.md section 1), in the order they are made.
const (
	CodeBadRequestLine     Code = 60002 // method is not POST, or the query string does not parse
	CodeMissingSDKAppID    Code = 60012 // sdkappid absent
	CodeWrongSDKAppID      Code = 60006 // sdkappid is not the configured app
	CodeUnknownCommand     Code = 60009 // unknown /v4/<service>/<command>
	CodeMissingIdentity    Code = 60004 // identifier or usersig absent or empty
	CodeUserSigUndecodable Code = 70003 // UserSig is not base64 / zlib / JSON
	CodeUserSigAppID       Code = 70014 // UserSig made for another SDKAppID
	CodeUserSigIdentifier  Code = 70013 // UserSig made for another identifier
	CodeUserSigExpired     Code = 70001 // now > TLS.time + TLS.expire
	CodeUserSigMismatch    Code = 70009 // HMAC does not match the secret key
	CodeNotAdmin           Code = 60010 // identifier is not one of the app's administrators
	CodeRateLimited        Code = 60007 // the API's calls-per-second limit is exceeded
	CodeBodyNotObject      Code = 60003 // body is not one JSON object
	CodeAccountNotString   Code = 60015 // an account-ID field is present but not a string
)

// Codes of the follow service v4/follow (wire.md section 2).
const (
	CodeFollowParam     Code = 30001
	CodeFollowAppID     Code = 30002 // answered first by 60006; defined, never expected
	CodeFollowNoAccount Code = 30003
	CodeFollowNeedAdmin Code = 30004 // answered first by 60010; defined, never expected
	CodeFollowDisabled  Code = 30005
	CodeFollowInternal  Code = 30006
	CodeFollowTimeout   Code = 30007
	CodeFollowingLimit  Code = 32100
	CodeFollowerLimit   Code = 32101 // followers are unlimited: cannot occur
	CodeMutualLimitFrom Code = 32102 // mutual follows are unlimited: cannot occur
	CodeMutualLimitTo   Code = 32103 // mutual follows are unlimited: cannot occur
)

// Codes of the account service v4/im_open_login_svc (wire.md section 3).
const (
	CodeAccountParam     Code = 70402
	CodeAccountNeedAdmin Code = 70403 // answered first by 60010; defined, never expected
	CodeAccountInternal  Code = 70500
	CodeProfileTooLong   Code = 40601
	CodeAccountNotExist  Code = 70107
)

// Codes of the official-account service v4/official_account_open_http_svc (wire.md section 4).
const (
	CodeOfficialParam      Code = 6017
	CodeOfficialInternal   Code = 10004
	CodeOfficialBadPacket  Code = 20001
	CodeOfficialRefused    Code = 20006  // the before-create webhook refused
	CodeOfficialPermission Code = 130002 // answered first by 60010; defined, never expected
	CodeOfficialNotFound   Code = 130004
	CodeOfficialBadID      Code = 130007
	CodeOfficialIDTaken    Code = 130008
	CodeOfficialDisabled   Code = 131000
)

// AccountNotExistInfo is the ResultInfo Tencent gives an account_delete item whose account is unknown.
const AccountNotExistInfo = "Err_TLS_PT_Open_Login_Account_Not_Exist"
