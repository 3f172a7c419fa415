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
func (s Service) ParamCode() protocol.Code {
	switch s {
	case Follow:
		return protocol.CodeFollowParam
	case OfficialAccount:
		return protocol.CodeOfficialParam
	}
	return protocol.CodeAccountParam
}

// InternalCode is the service's code for a failure of the server itself (retry later).
func (s Service) InternalCode() protocol.Code {
	switch s {
	case Follow:
		return protocol.CodeFollowInternal
	case OfficialAccount:
		return protocol.CodeOfficialInternal
	}
	return protocol.CodeAccountInternal
}

// TimeoutCode is the service's code for a request that ran out of time.
func (s Service) TimeoutCode() protocol.Code {
	if s == Follow {
		return protocol.CodeFollowTimeout
	}
	return s.InternalCode()
}
