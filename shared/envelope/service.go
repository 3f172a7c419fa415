package envelope

import "github.com/chatfollow/chatfollow/shared/protocol"

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
	case protocol.ServiceFollow:
		return Follow
	case protocol.ServiceAccount:
		return Account
	case protocol.ServiceOfficialAccount:
		return OfficialAccount
	}
	return 0
}

// Name is the path segment of the service.
func (s Service) Name() string {
	switch s {
	case Follow:
		return protocol.ServiceFollow
	case Account:
		return protocol.ServiceAccount
	case OfficialAccount:
		return protocol.ServiceOfficialAccount
	}
	return ""
}

// Display reports whether the service's answers carry ErrorDisplay (only the follow APIs do).
func (s Service) Display() bool { return s == Follow }

// ParamCode is the service's code for a request that breaks a parameter rule.
func (s Service) ParamCode() protocol.Code { return s.codes().param }

// InternalCode is the service's code for a failure of the server itself (retry later).
func (s Service) InternalCode() protocol.Code { return s.codes().internal }

// TimeoutCode is the service's code for a request that ran out of time.
func (s Service) TimeoutCode() protocol.Code { return s.codes().timeout }

// RetryCode is the service's code for a transient failure of the server (a lost database
// connection, a store that cannot be opened yet): the caller should retry. Only the
// official-account service has a code of its own for it (20005); the others answer their
// internal-error code, which also says "retry".
func (s Service) RetryCode() protocol.Code { return s.codes().retry }

// serviceCodes are the codes a service's generic failures map to.
type serviceCodes struct{ param, internal, timeout, retry protocol.Code }

// codes are s's codes; the account service's for any other value. Only the follow service has
// a timeout code of its own; the official-account service answers a timeout with its retry code
// (20005), the account service with its internal-error code.
func (s Service) codes() serviceCodes {
	switch s {
	case Follow:
		return serviceCodes{protocol.CodeFollowParam, protocol.CodeFollowInternal, protocol.CodeFollowTimeout, protocol.CodeFollowInternal}
	case OfficialAccount:
		return serviceCodes{protocol.CodeOfficialParam, protocol.CodeOfficialInternal, protocol.CodeOfficialRetry, protocol.CodeOfficialRetry}
	}
	return serviceCodes{protocol.CodeAccountParam, protocol.CodeAccountInternal, protocol.CodeAccountInternal, protocol.CodeAccountInternal}
}
