package model

import "fmt"

// Resource is one object of the Lago API that a permission applies to.
type Resource uint8

// resourceNames lists the resources in the order the permission matrix shows them.
var resourceNames = [...]string{
	"activity_log", "add_on", "analytic", "api_log", "billable_metric", "coupon",
	"applied_coupon", "credit_note", "customer_usage", "customer", "event", "fee",
	"invoice", "organization", "order", "order_form", "payment", "payment_receipt",
	"payment_request", "payment_method", "plan", "subscription", "lifetime_usage",
	"tax", "wallet", "wallet_transaction", "webhook_endpoint",
	"webhook_jwt_public_key", "invoice_custom_section", "billing_entity", "alert",
	"feature", "security_log", "quote", "product_category", "product", "rate_card",
	"plan_rate_card",
}

// ResourceCount is the number of resources.
const ResourceCount = len(resourceNames)

var readOnly = map[string]bool{
	"activity_log": true, "analytic": true, "api_log": true,
	"customer_usage": true, "security_log": true,
}

var resourceByName = func() map[string]Resource {
	m := make(map[string]Resource, ResourceCount)
	for i, n := range resourceNames {
		m[n] = Resource(i)
	}
	return m
}()

// Resources returns every resource in display order.
func Resources() []Resource {
	out := make([]Resource, ResourceCount)
	for i := range out {
		out[i] = Resource(i)
	}
	return out
}

// LookupResource finds a resource by its API name.
func LookupResource(name string) (Resource, error) {
	r, ok := resourceByName[name]
	if !ok {
		return 0, fmt.Errorf("unknown resource %q%s", Printable(name), didYouMean(name, resourceNames[:]))
	}
	return r, nil
}

// String returns the API name of the resource.
func (r Resource) String() string {
	if int(r) >= ResourceCount {
		return fmt.Sprintf("resource(%d)", r)
	}
	return resourceNames[r]
}

// ReadOnly reports whether the resource offers no write permission.
func (r Resource) ReadOnly() bool { return readOnly[r.String()] }
