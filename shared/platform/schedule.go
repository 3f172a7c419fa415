package platform

import (
	"context"
	"net/http"

	"github.com/chatfollow/chatfollow/shared/app"
)

// ServeSchedule serves a timer-triggered function: in HTTP mode, POST /dispatch runs one tick
// (point a cron or timer trigger at it).
func ServeSchedule(tick func(context.Context, *app.App) error) {
	ServeHTTP(func(_ context.Context, a *app.App) (http.Handler, error) {
		mux := http.NewServeMux()
		mux.HandleFunc("POST /dispatch", func(w http.ResponseWriter, r *http.Request) {
			if err := tick(r.Context(), a); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Write([]byte(`{"status":"ok"}`))
		})
		return mux, nil
	})
}
