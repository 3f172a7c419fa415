// Command usersig prints a UserSig for a UserID, made with the configured app's secret key
// (CHAT_SDKAPPID, CHAT_SECRET_KEY; the development defaults when unset):
//
//	go run ./cmd/usersig -id administrator
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/tencentyun/tls-sig-api-v2-golang/tencentyun"

	"github.com/chatfollow/chatfollow/shared/config"
)

func main() {
	id := flag.String("id", "administrator", "UserID the sig is for")
	expire := flag.Int("expire", 7*24*3600, "lifetime in seconds")
	flag.Parse()
	cfg, err := config.Load(os.LookupEnv, config.Local)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	sig, err := tencentyun.GenUserSig(int(cfg.SDKAppID), cfg.SecretKey, *id, *expire)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(sig)
}
