using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BaseAgency.Tests.Support;

/// <summary>A webhook event's type and its JSON body, as Stripe would send it (unsigned: the test signs on delivery).</summary>
public sealed record StripeEventJson(string Type, string Payload);

/// <summary>
/// Stripe Billing in the fake: products, prices (searched by lookup_key), checkout sessions in subscription mode,
/// customers, subscriptions (prorated upgrades wait for their invoice like <c>payment_behavior=pending_if_incomplete</c>),
/// invoices and billing portal sessions; and the events Stripe sends as a subscription lives, in the shape of the API
/// version Stripe.net expects (invoice.parent.subscription_details, line pricing.price_details, item periods).
/// </summary>
public sealed partial class FakeStripe
{
    /// <summary>The API version of the Stripe.net the service uses: the shape these events have.</summary>
    public static readonly string BillingApiVersion = Stripe.StripeConfiguration.ApiVersion;

    private readonly ConcurrentDictionary<string, JsonObject> _products = new();
    private readonly ConcurrentDictionary<string, JsonObject> _prices = new();
    private readonly ConcurrentDictionary<string, JsonObject> _subscriptions = new();
    private readonly ConcurrentDictionary<string, JsonObject> _invoices = new();
    private readonly ConcurrentDictionary<string, JsonObject> _schedules = new();
    private readonly ConcurrentDictionary<string, IResult> _billingReplies = new();
    /// <summary>What a subscription-mode session will make when paid: its price and the subscription's metadata.</summary>
    private readonly ConcurrentDictionary<string, (string PriceId, JsonObject Metadata)> _subscriptionOrders = new();
    private readonly Lock _billing = new();

    public JsonObject Price(string id) => _prices[id];
    public JsonObject StripeSubscription(string id) => _subscriptions[id];
    public JsonObject StripeInvoice(string id) => _invoices[id];
    public JsonObject Schedule(string id) => _schedules[id];
    public IEnumerable<JsonObject> Prices => _prices.Values;

    private void MapBilling()
    {
        _app.MapPost("/v1/products", (HttpRequest request) => BillingCall(request, CreateProduct));
        _app.MapGet("/v1/prices", (HttpRequest request) => BillingCall(request, ListPrices));
        _app.MapPost("/v1/prices", (HttpRequest request) => BillingCall(request, CreatePrice));
        _app.MapGet("/v1/prices/{id}", (HttpRequest request, string id) => BillingCall(request, _ => Found(_prices, id)));
        _app.MapGet("/v1/subscriptions/{id}", (HttpRequest request, string id) => BillingCall(request, _ => Found(_subscriptions, id)));
        _app.MapPost("/v1/subscriptions/{id}", (HttpRequest request, string id) => BillingCall(request, form => UpdateSubscription(id, form)));
        _app.MapDelete("/v1/subscriptions/{id}", (HttpRequest request, string id) => BillingCall(request, _ => CancelSubscription(id)));
        _app.MapPost("/v1/subscription_schedules", (HttpRequest request) => BillingCall(request, CreateSchedule));
        _app.MapGet("/v1/subscription_schedules/{id}", (HttpRequest request, string id) => BillingCall(request, _ => Found(_schedules, id)));
        _app.MapPost("/v1/subscription_schedules/{id}", (HttpRequest request, string id) => BillingCall(request, form => UpdateSchedule(id, form)));
        _app.MapPost("/v1/subscription_schedules/{id}/release", (HttpRequest request, string id) => BillingCall(request, _ => ReleaseSchedule(id)));
        _app.MapPost("/v1/billing_portal/sessions", (HttpRequest request) => BillingCall(request, CreatePortalSession));
    }

    /// <summary>Stripe's protocol around each call: the secret key, the request recorded, injected failures, idempotent replays.</summary>
    private async Task<IResult> BillingCall(HttpRequest request, Func<Dictionary<string, string>, IResult> call)
    {
        if (request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
            return Error(401, "invalid_request_error", "Invalid API Key provided.");
        var form = request.HasFormContentType
            ? (await request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString())
            : request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        Requests.Enqueue((request.Path, form, key));
        if (FailuresToInject > 0)
        {
            FailuresToInject--;
            return Error(500, "api_error", "Something went wrong on Stripe's end.");
        }
        var replayKey = $"{request.Method} {request.Path} {key}";
        if (key is not null && _billingReplies.TryGetValue(replayKey, out var earlier)) return earlier;
        IResult result;
        lock (_billing) result = call(form);
        if (key is not null) _billingReplies[replayKey] = result;
        return result;
    }

    private IResult CreateProduct(Dictionary<string, string> form)
    {
        var id = form.GetValueOrDefault("id") ?? NewId("prod");
        if (_products.ContainsKey(id)) return Error(400, "invalid_request_error", $"Product already exists: {id}", "resource_already_exists");
        return Reply(_products[id] = new JsonObject { ["id"] = id, ["object"] = "product", ["name"] = form["name"], ["active"] = true });
    }

    private IResult ListPrices(Dictionary<string, string> query)
    {
        var keys = query.Where(q => q.Key.StartsWith("lookup_keys[")).Select(q => q.Value).ToHashSet();
        var found = _prices.Values.Where(p => keys.Contains(p["lookup_key"]?.GetValue<string>() ?? "")
                                              && (!query.TryGetValue("active", out var active) || p["active"]!.GetValue<bool>() == bool.Parse(active)));
        return Reply(List(found, "/v1/prices"));
    }

    private IResult CreatePrice(Dictionary<string, string> form)
    {
        if (!_products.ContainsKey(form["product"])) return Error(400, "invalid_request_error", $"No such product: '{form["product"]}'", "resource_missing");
        var lookupKey = form.GetValueOrDefault("lookup_key");
        var holder = _prices.Values.FirstOrDefault(p => lookupKey is not null && p["lookup_key"]?.GetValue<string>() == lookupKey);
        if (holder is not null && form.GetValueOrDefault("transfer_lookup_key") != "true")
            return Error(400, "invalid_request_error", $"A price already uses the lookup key {lookupKey}.");
        holder?["lookup_key"] = null;
        var id = NewId("price");
        return Reply(_prices[id] = new JsonObject
        {
            ["id"] = id,
            ["object"] = "price",
            ["active"] = true,
            ["currency"] = form["currency"],
            ["unit_amount"] = long.Parse(form["unit_amount"]),
            ["product"] = form["product"],
            ["lookup_key"] = lookupKey,
            ["metadata"] = Metadata(form, "metadata"),
            ["recurring"] = new JsonObject { ["interval"] = form["recurring[interval]"], ["interval_count"] = 1 },
            ["type"] = "recurring",
            ["livemode"] = false,
        });
    }

    /// <summary>The subscription-mode branch of <see cref="CreateSession"/>: a line item names a recurring price.</summary>
    private IResult CreateSubscriptionSession(Dictionary<string, string> form, string? key)
    {
        foreach (var required in new[] { "success_url", "line_items[0][price]", "line_items[0][quantity]" })
            if (!form.ContainsKey(required))
                return Error(400, "invalid_request_error", $"Missing required param: {required}.");
        if (!_prices.TryGetValue(form["line_items[0][price]"], out var price))
            return Error(400, "invalid_request_error", $"No such price: '{form["line_items[0][price]"]}'", "resource_missing");

        var id = NewId("cs_test");
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["mode"] = "subscription",
            ["client_reference_id"] = form.GetValueOrDefault("client_reference_id"),
            ["metadata"] = Metadata(form, "metadata"),
            ["amount_total"] = price["unit_amount"]!.GetValue<long>() * long.Parse(form["line_items[0][quantity]"]),
            ["currency"] = price["currency"]!.GetValue<string>(),
            ["payment_status"] = "unpaid",
            ["status"] = "open",
            ["success_url"] = form["success_url"],
            ["cancel_url"] = form.GetValueOrDefault("cancel_url"),
            ["expires_at"] = form.TryGetValue("expires_at", out var expires) ? long.Parse(expires) : DateTimeOffset.UtcNow.AddHours(24).ToUnixTimeSeconds(),
            ["url"] = $"https://checkout.stripe.com/c/pay/{id}",
            ["customer"] = null,
            ["subscription"] = null,
            ["livemode"] = false,
        };
        _sessions[id] = session;
        _subscriptionOrders[id] = (price["id"]!.GetValue<string>(), Metadata(form, "subscription_data[metadata]"));
        if (key is not null) _byIdempotencyKey[key] = id;
        return Reply(session);
    }

    private IResult UpdateSubscription(string id, Dictionary<string, string> form)
    {
        if (!_subscriptions.TryGetValue(id, out var subscription)) return NoSuch("subscription", id);
        if (subscription["status"]!.GetValue<string>() == "canceled")
            return Error(400, "invalid_request_error", "A canceled subscription can only update its cancellation_details and metadata.");
        if (form.ContainsKey("cancel_at_period_end") && subscription["schedule"] is JsonValue schedule)
            return Error(400, "invalid_request_error",
                $"The subscription is managed by the subscription schedule `{schedule}`, and updating any cancelation behavior directly is not allowed.");
        if (form.TryGetValue("cancel_at_period_end", out var cancel)) subscription["cancel_at_period_end"] = bool.Parse(cancel);
        foreach (var (k, v) in Metadata(form, "metadata")) subscription["metadata"]![k] = v?.DeepClone();

        if (form.TryGetValue("items[0][price]", out var priceId))
        {
            var item = Item(subscription);
            if (form.GetValueOrDefault("items[0][id]") != item["id"]!.GetValue<string>())
                return Error(400, "invalid_request_error", "items[0][id] is not an item of this subscription.");
            if (!_prices.TryGetValue(priceId, out var price)) return NoSuch("price", priceId);
            if (form.GetValueOrDefault("proration_behavior") == "always_invoice")
            {
                // The change is invoiced now for the rest of the period; with pending_if_incomplete it waits for that invoice.
                var invoice = ProrationInvoice(subscription, price);
                subscription["latest_invoice"] = invoice["id"]!.GetValue<string>();
                if (form.GetValueOrDefault("payment_behavior") == "pending_if_incomplete")
                    subscription["pending_update"] = new JsonObject { ["price"] = priceId, ["invoice"] = invoice["id"]!.GetValue<string>() };
                else
                    item["price"] = price.DeepClone();
            }
            else
            {
                item["price"] = price.DeepClone();
            }
        }
        return Reply(subscription);
    }

    private IResult CancelSubscription(string id)
    {
        if (!_subscriptions.TryGetValue(id, out var subscription)) return NoSuch("subscription", id);
        if (subscription["status"]!.GetValue<string>() == "canceled")
            return Error(400, "invalid_request_error", $"This subscription is already canceled: {id}");
        End(subscription);
        return Reply(subscription);
    }

    /// <summary>A schedule made from a subscription: one phase, the current period on the current price.</summary>
    private IResult CreateSchedule(Dictionary<string, string> form)
    {
        if (!_subscriptions.TryGetValue(form["from_subscription"], out var subscription)) return NoSuch("subscription", form["from_subscription"]);
        if (subscription["schedule"] is not null)
            return Error(400, "invalid_request_error", "You cannot migrate a subscription that is already attached to a schedule.");
        var item = Item(subscription);
        var id = NewId("sub_sched");
        var (start, end) = (item["current_period_start"]!.GetValue<long>(), item["current_period_end"]!.GetValue<long>());
        subscription["schedule"] = id;
        return Reply(_schedules[id] = new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription_schedule",
            ["subscription"] = subscription["id"]!.GetValue<string>(),
            ["status"] = "active",
            ["end_behavior"] = "release",
            ["current_phase"] = new JsonObject { ["start_date"] = start, ["end_date"] = end },
            ["phases"] = new JsonArray(Phase(item["price"]!["id"]!.GetValue<string>(), start, end)),
            ["metadata"] = new JsonObject(),
            ["livemode"] = false,
        });
    }

    private IResult UpdateSchedule(string id, Dictionary<string, string> form)
    {
        if (!_schedules.TryGetValue(id, out var schedule)) return NoSuch("subscription_schedule", id);
        if (schedule["status"]!.GetValue<string>() != "active") return Error(400, "invalid_request_error", $"The schedule {id} is no longer active.");
        var currentStart = schedule["current_phase"]!["start_date"]!.GetValue<long>();
        if (form.GetValueOrDefault("phases[0][start_date]") != currentStart.ToString())
            return Error(400, "invalid_request_error", "You can not modify the start date of the current phase.");

        var phases = new JsonArray();
        var start = currentStart;
        for (var i = 0; form.ContainsKey($"phases[{i}][items][0][price]"); i++)
        {
            var price = form[$"phases[{i}][items][0][price]"];
            if (!_prices.TryGetValue(price, out var stored)) return NoSuch("price", price);
            var end = form.TryGetValue($"phases[{i}][end_date]", out var endDate) ? long.Parse(endDate)
                : form.GetValueOrDefault($"phases[{i}][duration][interval]") is { } every
                    ? PeriodEnd(DateTimeOffset.FromUnixTimeSeconds(start), every).ToUnixTimeSeconds()
                    : PeriodEnd(DateTimeOffset.FromUnixTimeSeconds(start), stored["recurring"]!["interval"]!.GetValue<string>()).ToUnixTimeSeconds();
            phases.Add(Phase(price, start, end));
            start = end;
        }
        schedule["phases"] = phases;
        schedule["end_behavior"] = form.GetValueOrDefault("end_behavior") ?? schedule["end_behavior"]!.GetValue<string>();
        foreach (var (k, v) in Metadata(form, "metadata")) schedule["metadata"]![k] = v?.DeepClone();
        return Reply(schedule);
    }

    private IResult ReleaseSchedule(string id)
    {
        if (!_schedules.TryGetValue(id, out var schedule)) return NoSuch("subscription_schedule", id);
        if (schedule["status"]!.GetValue<string>() != "active") return Error(400, "invalid_request_error", $"The schedule {id} is no longer active.");
        Release(schedule);
        return Reply(schedule);
    }

    private void Release(JsonObject schedule)
    {
        var subscriptionId = schedule["subscription"]!.GetValue<string>();
        schedule["status"] = "released";
        schedule["released_subscription"] = subscriptionId;
        schedule["subscription"] = null;
        _subscriptions[subscriptionId]["schedule"] = null;
    }

    private static JsonObject Phase(string price, long start, long end) => new()
    {
        ["start_date"] = start,
        ["end_date"] = end,
        ["items"] = new JsonArray(new JsonObject { ["price"] = price, ["quantity"] = 1 }),
    };

    private IResult CreatePortalSession(Dictionary<string, string> form)
    {
        if (!_customers.ContainsKey(form["customer"])) return NoSuch("customer", form["customer"]);
        var id = NewId("bps");
        return Reply(new JsonObject
        {
            ["id"] = id,
            ["object"] = "billing_portal.session",
            ["customer"] = form["customer"],
            ["return_url"] = form.GetValueOrDefault("return_url"),
            ["url"] = $"https://billing.stripe.com/p/session/{id}",
            ["livemode"] = false,
        });
    }

    /// <summary>
    /// The buyer pays a subscription checkout: Stripe makes the customer, the subscription (with the checkout's
    /// subscription_data metadata) and its first invoice, paid. Returns the subscription id and the events, in Stripe's order.
    /// </summary>
    public (string SubscriptionId, string CustomerId, IReadOnlyList<StripeEventJson> Events) CompleteSubscriptionCheckout(string sessionId)
    {
        lock (_billing)
        {
            var session = _sessions[sessionId];
            var (priceId, metadata) = _subscriptionOrders[sessionId];
            var price = _prices[priceId];
            var customer = AddCustomer(defaultMethod: null);
            var subscriptionId = NewId("sub");
            // Stripe's times are whole seconds. Rounded up here: a test signs up and pays within one second, and a first
            // period "starting" before the Free period it replaces is read as stale (a case real customers never meet).
            var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
            var subscription = new JsonObject
            {
                ["id"] = subscriptionId,
                ["object"] = "subscription",
                ["status"] = "active",
                ["customer"] = customer,
                ["cancel_at_period_end"] = false,
                ["canceled_at"] = null,
                ["ended_at"] = null,
                ["currency"] = price["currency"]!.GetValue<string>(),
                ["created"] = start.ToUnixTimeSeconds(),
                ["start_date"] = start.ToUnixTimeSeconds(),
                ["metadata"] = metadata.DeepClone(),
                ["pending_update"] = null,
                ["latest_invoice"] = null,
                ["schedule"] = null,
                ["livemode"] = false,
                ["items"] = List([new JsonObject
                {
                    ["id"] = NewId("si"),
                    ["object"] = "subscription_item",
                    ["price"] = price.DeepClone(),
                    ["quantity"] = 1,
                    ["subscription"] = subscriptionId,
                    ["current_period_start"] = start.ToUnixTimeSeconds(),
                    ["current_period_end"] = PeriodEnd(start, price["recurring"]!["interval"]!.GetValue<string>()).ToUnixTimeSeconds(),
                }], $"/v1/subscription_items?subscription={subscriptionId}"),
            };
            _subscriptions[subscriptionId] = subscription;
            var invoice = PeriodInvoice(subscription, "subscription_create", paid: true);
            session["status"] = "complete";
            session["payment_status"] = "paid";
            session["customer"] = customer;
            session["subscription"] = subscriptionId;
            session["invoice"] = invoice["id"]!.GetValue<string>();
            return (subscriptionId, customer,
            [
                BillingEvent("customer.subscription.created", subscription),
                BillingEvent("invoice.paid", invoice),
                BillingEvent("checkout.session.completed", session),
            ]);
        }
    }

    /// <summary>
    /// The subscription's period ends: Stripe starts the next one on the item's current price (a downgrade takes effect
    /// here), or on the next phase of its schedule (a change of interval, invoiced as an update), and charges its invoice.
    /// Paid: invoice.paid; declined: invoice.payment_failed and the subscription goes past due.
    /// </summary>
    public IReadOnlyList<StripeEventJson> CyclePeriod(string subscriptionId, bool paid = true)
    {
        lock (_billing)
        {
            var subscription = _subscriptions[subscriptionId];
            var item = Item(subscription);
            var start = DateTimeOffset.FromUnixTimeSeconds(item["current_period_end"]!.GetValue<long>());
            var next = subscription["schedule"]?.GetValue<string>() is { } scheduleId
                ? _schedules[scheduleId]["phases"]!.AsArray().FirstOrDefault(p => p!["start_date"]!.GetValue<long>() == start.ToUnixTimeSeconds())
                : null;
            if (next is not null)
            {
                item["price"] = _prices[next["items"]![0]!["price"]!.GetValue<string>()].DeepClone();
                // The fake lets go as the last phase begins (Stripe does at its end: nothing differs in between).
                Release(_schedules[subscription["schedule"]!.GetValue<string>()]);
            }
            item["current_period_start"] = start.ToUnixTimeSeconds();
            item["current_period_end"] = PeriodEnd(start, item["price"]!["recurring"]!["interval"]!.GetValue<string>()).ToUnixTimeSeconds();
            var invoice = PeriodInvoice(subscription, next is null ? "subscription_cycle" : "subscription_update", paid);
            subscription["status"] = paid ? "active" : "past_due";
            return
            [
                BillingEvent("customer.subscription.updated", subscription),
                BillingEvent(paid ? "invoice.paid" : "invoice.payment_failed", invoice),
            ];
        }
    }

    /// <summary>
    /// The customer pays the subscription's latest invoice (a pending upgrade's proration, or a declined renewal Stripe
    /// retries): Stripe applies the pending update, and the subscription is active again.
    /// </summary>
    public IReadOnlyList<StripeEventJson> PayLatestInvoice(string subscriptionId)
    {
        lock (_billing)
        {
            var subscription = _subscriptions[subscriptionId];
            var invoice = _invoices[subscription["latest_invoice"]!.GetValue<string>()];
            invoice["status"] = "paid";
            invoice["amount_paid"] = invoice["amount_due"]!.GetValue<long>();
            invoice["amount_remaining"] = 0;
            if (subscription["pending_update"] is JsonObject pending && pending["invoice"]!.GetValue<string>() == invoice["id"]!.GetValue<string>())
            {
                Item(subscription)["price"] = _prices[pending["price"]!.GetValue<string>()].DeepClone();
                subscription["pending_update"] = null;
            }
            subscription["status"] = "active";
            return [BillingEvent("invoice.paid", invoice), BillingEvent("customer.subscription.updated", subscription)];
        }
    }

    /// <summary>The period of a subscription set to cancel at its end is over: Stripe ends it.</summary>
    public StripeEventJson EndAtPeriodEnd(string subscriptionId)
    {
        lock (_billing)
        {
            var subscription = _subscriptions[subscriptionId];
            End(subscription);
            return BillingEvent("customer.subscription.deleted", subscription);
        }
    }

    /// <summary>customer.subscription.updated or .deleted (when it has ended) with the subscription as it stands.</summary>
    public StripeEventJson SubscriptionEvent(string subscriptionId)
    {
        lock (_billing)
        {
            var subscription = _subscriptions[subscriptionId];
            return BillingEvent(subscription["status"]!.GetValue<string>() == "canceled" ? "customer.subscription.deleted" : "customer.subscription.updated",
                subscription);
        }
    }

    private JsonObject PeriodInvoice(JsonObject subscription, string reason, bool paid)
    {
        var item = Item(subscription);
        var price = item["price"]!.AsObject();
        var amount = price["unit_amount"]!.GetValue<long>();
        return Invoice(subscription, reason, paid,
            [Line(subscription, price, amount, proration: false, item["current_period_start"]!.GetValue<long>(), item["current_period_end"]!.GetValue<long>())]);
    }

    /// <summary>Stripe's proration: a credit for the old price's unused time and a charge for the new price's, to the period's end.</summary>
    private JsonObject ProrationInvoice(JsonObject subscription, JsonObject newPrice)
    {
        var item = Item(subscription);
        var oldPrice = item["price"]!.AsObject();
        var (start, end) = (item["current_period_start"]!.GetValue<long>(), item["current_period_end"]!.GetValue<long>());
        var now = Math.Clamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), start, end);
        long Share(JsonObject price) => price["unit_amount"]!.GetValue<long>() * (end - now) / (end - start);
        return Invoice(subscription, "subscription_update", paid: false,
        [
            Line(subscription, oldPrice, -Share(oldPrice), proration: true, now, end),
            Line(subscription, newPrice, Share(newPrice), proration: true, now, end),
        ]);
    }

    private JsonObject Invoice(JsonObject subscription, string reason, bool paid, JsonObject[] lines)
    {
        var id = NewId("in");
        var total = lines.Sum(l => l["amount"]!.GetValue<long>());
        foreach (var line in lines) line["invoice"] = id;
        var invoice = new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoice",
            ["billing_reason"] = reason,
            ["status"] = paid ? "paid" : "open",
            ["amount_due"] = total,
            ["amount_paid"] = paid ? total : 0,
            ["amount_remaining"] = paid ? 0 : total,
            ["subtotal"] = total,
            ["total"] = total,
            ["currency"] = subscription["currency"]!.GetValue<string>(),
            ["customer"] = subscription["customer"]!.GetValue<string>(),
            ["collection_method"] = "charge_automatically",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["period_start"] = lines[0]["period"]!["start"]!.GetValue<long>(),
            ["period_end"] = lines[0]["period"]!["end"]!.GetValue<long>(),
            ["hosted_invoice_url"] = $"https://invoice.stripe.com/i/{id}",
            ["livemode"] = false,
            ["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject
                {
                    // Stripe's snapshot of the subscription's metadata when the invoice was made.
                    ["metadata"] = subscription["metadata"]!.DeepClone(),
                    ["subscription"] = subscription["id"]!.GetValue<string>(),
                },
            },
            ["lines"] = List(lines, $"/v1/invoices/{id}/lines"),
        };
        _invoices[id] = invoice;
        subscription["latest_invoice"] = id;
        return invoice;
    }

    private static JsonObject Line(JsonObject subscription, JsonObject price, long amount, bool proration, long start, long end) => new()
    {
        ["id"] = NewId("il"),
        ["object"] = "line_item",
        ["amount"] = amount,
        ["currency"] = price["currency"]!.GetValue<string>(),
        ["description"] = proration ? (amount < 0 ? "Unused time" : "Remaining time") : "1 × plan",
        ["quantity"] = 1,
        ["livemode"] = false,
        ["period"] = new JsonObject { ["start"] = start, ["end"] = end },
        ["parent"] = new JsonObject
        {
            ["type"] = "subscription_item_details",
            ["invoice_item_details"] = null,
            ["subscription_item_details"] = new JsonObject
            {
                ["invoice_item"] = null,
                ["proration"] = proration,
                ["proration_details"] = new JsonObject { ["credited_items"] = null },
                ["subscription"] = subscription["id"]!.GetValue<string>(),
                ["subscription_item"] = Item(subscription)["id"]!.GetValue<string>(),
            },
        },
        ["pricing"] = new JsonObject
        {
            ["type"] = "price_details",
            ["price_details"] = new JsonObject { ["price"] = price["id"]!.GetValue<string>(), ["product"] = price["product"]!.GetValue<string>() },
            ["unit_amount_decimal"] = price["unit_amount"]!.GetValue<long>().ToString(),
        },
    };

    private static void End(JsonObject subscription)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        subscription["status"] = "canceled";
        subscription["canceled_at"] = now;
        subscription["ended_at"] = now;
    }

    private static JsonObject Item(JsonObject subscription) => subscription["items"]!["data"]![0]!.AsObject();

    private static DateTimeOffset PeriodEnd(DateTimeOffset start, string interval) => interval == "year" ? start.AddYears(1) : start.AddMonths(1);

    private static StripeEventJson BillingEvent(string type, JsonObject data) => new(type, new JsonObject
    {
        ["id"] = NewId("evt"),
        ["object"] = "event",
        ["api_version"] = BillingApiVersion,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["type"] = type,
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["data"] = new JsonObject { ["object"] = data.DeepClone() },
    }.ToJsonString());

    private static JsonObject List(IEnumerable<JsonObject> items, string url) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray(items.Select(i => (JsonNode)i.DeepClone()).ToArray()),
        ["has_more"] = false,
        ["url"] = url,
    };

    /// <summary>The entries "prefix[key]" of a form as a metadata object.</summary>
    private static JsonObject Metadata(Dictionary<string, string> form, string prefix)
    {
        var metadata = new JsonObject();
        foreach (var (k, v) in form.Where(f => f.Key.StartsWith($"{prefix}[") && f.Key.EndsWith(']') && f.Key.IndexOf('[', prefix.Length + 1) < 0))
            metadata[k[(prefix.Length + 1)..^1]] = v;
        return metadata;
    }

    private static IResult Found(ConcurrentDictionary<string, JsonObject> store, string id) =>
        store.TryGetValue(id, out var found) ? Reply(found) : NoSuch(id.Split('_')[0], id);

    /// <summary>A snapshot of the object as it is now: later changes (and serialization outside the lock) leave it alone.</summary>
    private static IResult Reply(JsonObject body) => Results.Json(body.DeepClone());

    private static IResult NoSuch(string what, string id) => Error(404, "invalid_request_error", $"No such {what}: '{id}'", "resource_missing");

    private static IResult Error(int status, string type, string message, string code) =>
        Results.Json(new { error = new { type, message, code } }, statusCode: status);

    private static string NewId(string prefix) => $"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10))}";
}
