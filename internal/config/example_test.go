package config_test

import (
	"fmt"

	"github.com/st2go/st2go/internal/config"
)

func ExampleDefault() {
	c := config.Default([]string{"HOME=/home/alice"})
	fmt.Println(c.System.BasePath)
	fmt.Println(c.Content.SystemPacksBasePath)
	fmt.Println(c.ST2Go.Store, c.ST2Go.Bus)
	// Output:
	// /home/alice/.local/share/st2go
	// /home/alice/.local/share/st2go/packs
	// embedded memory
}

func ExampleLoad() {
	env := []string{"ST2_API__PORT=9999"}
	c, warnings, err := config.Load("testdata/good/package.conf", env)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(warnings), "warnings")
	fmt.Println(c.API.Addr())
	for _, v := range c.Values() {
		if v.Section == "messaging" && v.Option.Name == "url" {
			fmt.Println(v.Option.Name, "=", v.Display(true), "from", v.Where())
		}
	}
	// Output:
	// 0 warnings
	// 127.0.0.1:9999
	// url = amqp://guest:********@127.0.0.1:5672/ from testdata/good/package.conf:72
}

func ExampleLoad_errors() {
	_, _, err := config.Load("testdata/bad/many.conf", nil)
	fmt.Println(err)
	// Output:
	// testdata/bad/many.conf:2: [api] port: invalid integer value "abc"
	// testdata/bad/many.conf:4: [auth] enable: invalid boolean value "maybe" (use true/false, yes/no, on/off or 1/0)
	// testdata/bad/many.conf:6: [metrics] sample_rate: invalid float value "lots"
	// testdata/bad/many.conf:7: empty option name in "=oops"
}
