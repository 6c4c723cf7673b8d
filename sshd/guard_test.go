package sshd

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"testing"

	"github.com/keyrack/keyrack/ui"
)

// notStorage are the ui.Store methods that pass through unguarded: the
// organization's name, the pending mail count and a key's last sighting
// are held in memory, and a subscription only signals.
var notStorage = map[string]bool{"Organization": true, "Subscribe": true, "Watch": true, "PendingMail": true,
	"LastSeenAt": true, "IdleDeadline": true}

// TestGuardedStoreDeclaresEveryStorageMethod fails when ui.Store gains a
// method that guardedStore would pass through by embedding, unchecked.
func TestGuardedStoreDeclaresEveryStorageMethod(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "guard.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv == nil {
			continue
		}
		if id, ok := fn.Recv.List[0].Type.(*ast.Ident); ok && id.Name == "guardedStore" {
			declared[fn.Name.Name] = true
		}
	}
	iface := reflect.TypeFor[ui.Store]()
	for i := range iface.NumMethod() {
		name := iface.Method(i).Name
		if !declared[name] && !notStorage[name] {
			t.Errorf("ui.Store.%s reaches storage unguarded: declare it on guardedStore in guard.go", name)
		}
	}
}
