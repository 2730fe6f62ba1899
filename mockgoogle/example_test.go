package mockgoogle_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"golang.org/x/oauth2"

	"github.com/authprobe/authprobe/mockgoogle"
)

// ExampleServer_MintCode signs in without a browser and exchanges the code with x/oauth2,
// as a backend under test would.
func ExampleServer_MintCode() {
	srv, err := mockgoogle.New(mockgoogle.Config{})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	srv.QueueUser(mockgoogle.User{Sub: "42", Email: "grace@example.com"})
	code, err := srv.MintCode(mockgoogle.CodeRequest{
		ClientID:    mockgoogle.DefaultClientID,
		RedirectURI: "http://localhost:3000/login",
		AccessType:  "offline",
	})
	if err != nil {
		log.Fatal(err)
	}

	conf := &oauth2.Config{
		ClientID:     mockgoogle.DefaultClientID,
		ClientSecret: mockgoogle.DefaultClientSecret,
		RedirectURL:  "http://localhost:3000/login",
		Endpoint:     oauth2.Endpoint{TokenURL: srv.URL() + "/token"},
	}
	tok, err := conf.Exchange(context.Background(), code)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.HasPrefix(tok.AccessToken, "ya29."), tok.RefreshToken != "")
	// Output: true true
}

// ExampleServer_FailNext makes the next token request fail as Google sometimes does.
func ExampleServer_FailNext() {
	srv, err := mockgoogle.New(mockgoogle.Config{})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	srv.FailNext(mockgoogle.Fault{Endpoint: mockgoogle.EndpointToken, Status: 503})
	conf := &oauth2.Config{
		ClientID:     mockgoogle.DefaultClientID,
		ClientSecret: mockgoogle.DefaultClientSecret,
		Endpoint: oauth2.Endpoint{
			TokenURL:  srv.URL() + "/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
	_, err = conf.Exchange(context.Background(), "4/0any")

	var rerr *oauth2.RetrieveError
	if errors.As(err, &rerr) {
		fmt.Println(rerr.Response.StatusCode, rerr.ErrorCode)
	}
	// Output: 503 server_error
}
