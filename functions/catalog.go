// Package functions is the catalogue of the deployable functions: one row per folder below
// functions/, saying what the function is, the route it answers and what its main serves. The
// local server, the deployment generator (deploy) and the tests read it; each folder's main
// imports only its own package (a receiver's binary does not link the REST gateway).
//
// Adding a function is one folder (its package and main/main.go) and one row of Catalog.
package functions

import (
	"context"
	"net/http"

	accountcheck "github.com/chatfollow/chatfollow/functions/account-check"
	accountdelete "github.com/chatfollow/chatfollow/functions/account-delete"
	accountimport "github.com/chatfollow/chatfollow/functions/account-import"
	addsubscriber "github.com/chatfollow/chatfollow/functions/add-subscriber"
	"github.com/chatfollow/chatfollow/functions/callback"
	"github.com/chatfollow/chatfollow/functions/console"
	createofficialaccount "github.com/chatfollow/chatfollow/functions/create-official-account"
	deletesubscriber "github.com/chatfollow/chatfollow/functions/delete-subscriber"
	destroyofficialaccount "github.com/chatfollow/chatfollow/functions/destroy-official-account"
	followadd "github.com/chatfollow/chatfollow/functions/follow-add"
	followcheck "github.com/chatfollow/chatfollow/functions/follow-check"
	followdelete "github.com/chatfollow/chatfollow/functions/follow-delete"
	followget "github.com/chatfollow/chatfollow/functions/follow-get"
	followgetinfo "github.com/chatfollow/chatfollow/functions/follow-get-info"
	getofficialaccountinfo "github.com/chatfollow/chatfollow/functions/get-official-account-info"
	getsubscribedofficialaccountlist "github.com/chatfollow/chatfollow/functions/get-subscribed-official-account-list"
	getsubscriberinfo "github.com/chatfollow/chatfollow/functions/get-subscriber-info"
	modifyofficialaccountbaseinfo "github.com/chatfollow/chatfollow/functions/modify-official-account-base-info"
	modifysubscriberinfo "github.com/chatfollow/chatfollow/functions/modify-subscriber-info"
	multiaccountimport "github.com/chatfollow/chatfollow/functions/multiaccount-import"
	onafteraddsubscriber "github.com/chatfollow/chatfollow/functions/on-after-add-subscriber"
	onaftercreateofficialaccount "github.com/chatfollow/chatfollow/functions/on-after-create-official-account"
	onafterdeletesubscriber "github.com/chatfollow/chatfollow/functions/on-after-delete-subscriber"
	onafterfollowadd "github.com/chatfollow/chatfollow/functions/on-after-follow-add"
	onafterfollowdelete "github.com/chatfollow/chatfollow/functions/on-after-follow-delete"
	onafterofficialaccountdestroyed "github.com/chatfollow/chatfollow/functions/on-after-official-account-destroyed"
	onafterofficialaccountfull "github.com/chatfollow/chatfollow/functions/on-after-official-account-full"
	onafterofficialaccountinfochanged "github.com/chatfollow/chatfollow/functions/on-after-official-account-info-changed"
	onbeforeaddsubscriber "github.com/chatfollow/chatfollow/functions/on-before-add-subscriber"
	onbeforecreateofficialaccount "github.com/chatfollow/chatfollow/functions/on-before-create-official-account"
	webhookdispatch "github.com/chatfollow/chatfollow/functions/webhook-dispatch"
	"github.com/chatfollow/chatfollow/shared/app"
	"github.com/chatfollow/chatfollow/shared/platform/host"
	"github.com/chatfollow/chatfollow/shared/receiver"
	"github.com/chatfollow/chatfollow/shared/receiver/function"
	"github.com/chatfollow/chatfollow/shared/rest"
)

// Kind is how a function is reached.
type Kind string

// The kinds of functions.
const (
	REST     Kind = "rest"     // POST /v4/<service>/<command>
	Receiver Kind = "receiver" // POST /callback or /callback/<CallbackCommand>
	Schedule Kind = "schedule" // a timer, once a minute
	Console  Kind = "console"  // the operator console: any method at /console and below
)

// Function is one row of the catalogue: a folder below functions/ whose main/ package serves
// the value of the row that its Kind names.
type Function struct {
	Name      string // the folder, e.g. follow-add
	Kind      Kind
	Operation rest.Operation // REST: the operation its main serves with rest.Function
	Command   string         // Receiver: the CallbackCommand its main serves with function.Serve; "" receives every one
	// Schedule: what its main passes to platform.ServeSchedule, run on every tick.
	Tick func(context.Context, *app.App) error
	// Console: what its main passes to platform.ServeConsole.
	Build func(context.Context, *app.App) (http.Handler, error)
}

// Catalog lists every function, in name order.
func Catalog() []Function {
	return []Function{
		{Name: "account-check", Kind: REST, Operation: accountcheck.Operation},
		{Name: "account-delete", Kind: REST, Operation: accountdelete.Operation},
		{Name: "account-import", Kind: REST, Operation: accountimport.Operation},
		{Name: "add-subscriber", Kind: REST, Operation: addsubscriber.Operation},
		{Name: "callback", Kind: Receiver, Command: callback.Command},
		{Name: "console", Kind: Console, Build: console.Build},
		{Name: "create-official-account", Kind: REST, Operation: createofficialaccount.Operation},
		{Name: "delete-subscriber", Kind: REST, Operation: deletesubscriber.Operation},
		{Name: "destroy-official-account", Kind: REST, Operation: destroyofficialaccount.Operation},
		{Name: "follow-add", Kind: REST, Operation: followadd.Operation},
		{Name: "follow-check", Kind: REST, Operation: followcheck.Operation},
		{Name: "follow-delete", Kind: REST, Operation: followdelete.Operation},
		{Name: "follow-get", Kind: REST, Operation: followget.Operation},
		{Name: "follow-get-info", Kind: REST, Operation: followgetinfo.Operation},
		{Name: "get-official-account-info", Kind: REST, Operation: getofficialaccountinfo.Operation},
		{Name: "get-subscribed-official-account-list", Kind: REST, Operation: getsubscribedofficialaccountlist.Operation},
		{Name: "get-subscriber-info", Kind: REST, Operation: getsubscriberinfo.Operation},
		{Name: "modify-official-account-base-info", Kind: REST, Operation: modifyofficialaccountbaseinfo.Operation},
		{Name: "modify-subscriber-info", Kind: REST, Operation: modifysubscriberinfo.Operation},
		{Name: "multiaccount-import", Kind: REST, Operation: multiaccountimport.Operation},
		{Name: "on-after-add-subscriber", Kind: Receiver, Command: onafteraddsubscriber.Command},
		{Name: "on-after-create-official-account", Kind: Receiver, Command: onaftercreateofficialaccount.Command},
		{Name: "on-after-delete-subscriber", Kind: Receiver, Command: onafterdeletesubscriber.Command},
		{Name: "on-after-follow-add", Kind: Receiver, Command: onafterfollowadd.Command},
		{Name: "on-after-follow-delete", Kind: Receiver, Command: onafterfollowdelete.Command},
		{Name: "on-after-official-account-destroyed", Kind: Receiver, Command: onafterofficialaccountdestroyed.Command},
		{Name: "on-after-official-account-full", Kind: Receiver, Command: onafterofficialaccountfull.Command},
		{Name: "on-after-official-account-info-changed", Kind: Receiver, Command: onafterofficialaccountinfochanged.Command},
		{Name: "on-before-add-subscriber", Kind: Receiver, Command: onbeforeaddsubscriber.Command},
		{Name: "on-before-create-official-account", Kind: Receiver, Command: onbeforecreateofficialaccount.Command},
		{Name: "webhook-dispatch", Kind: Schedule, Tick: webhookdispatch.Tick},
	}
}

// Operations lists the REST operations of the catalogue.
func Operations() []rest.Operation {
	var ops []rest.Operation
	for _, f := range Catalog() {
		if f.Kind == REST {
			ops = append(ops, f.Operation)
		}
	}
	return ops
}

// Route is the path the function answers with POST (the console: any method, at it and below),
// "" for a scheduled function.
func (f Function) Route() string {
	switch f.Kind {
	case REST:
		return "/v4/" + f.Operation.Path()
	case Receiver:
		if f.Command == "" {
			return "/callback"
		}
		return "/callback/" + f.Command
	case Console:
		return "/console"
	}
	return ""
}

// Main is the folder of the function's main package, from the module root.
func (f Function) Main() string { return "functions/" + f.Name + "/main" }

// HTTP is what a REST function's main serves with platform.ServeHTTP (rest.Function of its
// operation) or the console's main with platform.ServeConsole; nil for the other kinds.
func (f Function) HTTP() func(context.Context, *app.App) (http.Handler, error) {
	switch f.Kind {
	case REST:
		return rest.Function(f.Operation)
	case Console:
		return f.Build
	}
	return nil
}

// Setup is what a receiver function's main runs with function.Serve: the receiver of its
// command (every command when it is "") with the app's handlers h, on RECEIVER_* variables
// only; nil for the other kinds.
func (f Function) Setup(h receiver.Handlers) host.Setup {
	if f.Kind != Receiver {
		return nil
	}
	return function.Setup(f.Command, h)
}
