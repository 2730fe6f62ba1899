package refserver_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/authprobe/authprobe/refserver"
)

func ExampleParseFault() {
	f, err := refserver.ParseFault("no-blacklist")
	fmt.Println(f, err)

	_, err = refserver.ParseFault("no-such-bug")
	fmt.Println(err != nil)
	// Output:
	// no-blacklist <nil>
	// true
}

func ExampleNew() {
	srv, err := refserver.New(context.Background(), refserver.Config{
		GoogleURL: "http://127.0.0.1:9090", // mockgoogle, or any OpenID provider
		DB:        ":memory:",
		Faults:    []refserver.Fault{refserver.FaultNoRotate},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	if err := srv.Start("127.0.0.1:0"); err != nil {
		fmt.Println(err)
		return
	}

	resp, err := http.Get(srv.URL() + "/healthz")
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	// Output: 200 OK
}
