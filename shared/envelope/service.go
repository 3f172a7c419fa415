package envelope

// Service is one family of REST commands (the <service> of /v4/<service>/<command>). It decides
// the codes a generic failure maps to and whether answers carry ErrorDisplay.
type Service int

// The services this project speaks.
const (
	Follow Service = iota + 1
	Account
	OfficialAccount
)

// ServiceByName returns the service named in a request path, or 0 when the name is unknown.
func ServiceByName(name string) Service {
	switch name {
	case "follow":
		return Follow
	case "im_open_login_svc":
		return Account
	case "official_account_open_http_svc":
		return OfficialAccount
	}
	return 0
}

// Name is the path segment of the service.
func (s Service) Name() string {
	switch s {
	case Follow:
		return "follow"
	case Account:
		return "im_open_login_svc"
	case OfficialAccount:
		return "official_account_open_http_svc"
	}
	return ""
}

// Display reports whether the service's answers carry ErrorDisplay (only the follow APIs do).
func (s Service) Display() bool { return s == Follow }

// ParamCode is the service's code for a request that breaks a parameter rule.
func (s Service) ParamCode() Code {
	switch s {
	case Follow:
		return CodeFollowParam
	case OfficialAccount:
		return CodeOfficialParam
	}
	return CodeAccountParam
}

// InternalCode is the service's code for a failure of the server itself (retry later).
func (s Service) InternalCode() Code {
	switch s {
	case Follow:
		return CodeFollowInternal
	case OfficialAccount:
		return CodeOfficialInternal
	}
	return CodeAccountInternal
}

// TimeoutCode is the service's code for a request that ran out of time.
func (s Service) TimeoutCode() Code {
	switch s {
	case Follow:
		return CodeFollowTimeout
	case OfficialAccount:
		return CodeOfficialRetry
	}
	return s.InternalCode()
}

// RetryCode is the service's code for a transient failure of the server (a lost database
// connection, a store that cannot be opened yet): the caller should retry. Only the
// official-account service has a code of its own for it (20005); the others answer their
// internal-error code, which also says "retry".
func (s Service) RetryCode() Code {
	if s == OfficialAccount {
		return CodeOfficialRetry
	}
	return s.InternalCode()
}
