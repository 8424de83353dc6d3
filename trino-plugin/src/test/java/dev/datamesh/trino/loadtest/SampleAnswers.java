package dev.datamesh.trino.loadtest;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.common.hash.Hashing;
import dev.datamesh.sample.SampleMesh;
import dev.datamesh.sample.SampleMesh.Customer;
import dev.datamesh.sample.SampleMesh.CustomerOrder;
import dev.datamesh.sample.SampleMesh.Order;
import dev.datamesh.sample.SampleMesh.Shipment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import static com.google.common.collect.ImmutableMap.toImmutableMap;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * What each user of the sample mesh must get, computed from the rows the sample's generator
 * writes and from the sample's governance as docs/governance.md describes it (the users, their
 * roles, the global policies of etc/mesh/policies), not from the server: masked values, the rows
 * a row filter keeps, the products a user sees, and the denial each refused read gets.
 */
final class SampleAnswers
{
    static final String CUSTOMER_PRODUCT = "customer-data-product";
    static final String ORDER_PRODUCT = "order-data-product";
    static final String SHIPMENT_PRODUCT = "shipment-data-product";
    static final String ORDER_PRODUCT_VERSION = "2.1.0";
    static final String SHIPMENT_PRODUCT_VERSION = "1.0.0";
    // the global denial the load test's policy reloads switch on and off (LoadPolicies)
    static final String TOGGLED_DENIAL = "loadtest-sales-closed";
    // the readers of the sales domain (its descriptor grants analysts and data scientists), and the users the denial concerns: the same
    static final Set<String> SALES_READERS = ImmutableSet.of("alice", "connor", "dora");
    static final Set<String> SALES_CLOSED_TO = SALES_READERS;

    /**
     * The sample's users, in the order clients take them: with eight clients or more every user
     * runs queries.
     */
    static final List<String> USERS = ImmutableList.of("alice", "carlos", "dora", "connor", "carmen", "eve", "olivia", "luis");

    private static final Set<String> ALL_REGIONS = ImmutableSet.of("AMER", "EMEA", "APAC");
    // the row filter agents-see-their-region, with each agent's region attribute (etc/mesh/roles.yaml)
    private static final Map<String, Set<String>> AGENT_REGIONS = ImmutableMap.of(
            "carlos", ImmutableSet.of("AMER"),
            "carmen", ImmutableSet.of("EMEA", "APAC"));

    private final List<Customer> customers = SampleMesh.customers();
    private final Map<Long, Customer> customersById = customers.stream().collect(toImmutableMap(Customer::customerId, Function.identity()));
    private final List<CustomerOrder> customerOrders = SampleMesh.customerOrders();
    private final Map<Long, Shipment> shipmentsByOrder = SampleMesh.shipments().stream().collect(toImmutableMap(Shipment::orderId, Function.identity()));
    private final List<Order> orders = SampleMesh.orders();

    /**
     * How a user reads customer-data-product's customer_profile: its pii columns hashed for
     * analysts, names hashed and contact columns null for data scientists, in clear for the
     * owner team and customer service, whose agents see their region's customers only.
     */
    enum CustomerView
    {
        HASHED, HASHED_CONTACT_HIDDEN, CLEAR
    }

    /**
     * What one query must return: rows (in any order), or a denial whose message contains the text.
     */
    record Answer(Optional<List<List<String>>> rows, Optional<String> denial)
    {
        static Answer rows(List<List<String>> rows)
        {
            return new Answer(Optional.of(sorted(rows)), Optional.empty());
        }

        static Answer denied(String message)
        {
            return new Answer(Optional.empty(), Optional.of(message));
        }

        boolean matchesRows(List<List<String>> actual)
        {
            return rows.isPresent() && rows.orElseThrow().equals(sorted(actual));
        }

        boolean matchesDenial(String message)
        {
            return denial.isPresent() && message.contains(denial.orElseThrow());
        }

        @Override
        public String toString()
        {
            return rows.map(value -> "rows " + value).orElseGet(() -> "denial '" + denial.orElseThrow() + "'");
        }

        private static List<List<String>> sorted(List<List<String>> rows)
        {
            List<List<String>> sorted = new ArrayList<>(rows);
            sorted.sort((left, right) -> String.valueOf(left).compareTo(String.valueOf(right)));
            return ImmutableList.copyOf(sorted);
        }
    }

    /**
     * What the load test's edits of customer-data-product's descriptor change: its version, and
     * whether it grants data scientists read access.
     */
    record CustomerDescriptor(String version, boolean grantsDataScientists) {}

    /**
     * The state of the mesh's files that the load test changes while it runs: customer-data-product's
     * descriptor, and whether the switched denial closes the sales domain.
     */
    record MeshState(CustomerDescriptor customerProduct, boolean salesClosed) {}

    // customer-data-product: which users read it, and how

    private static Optional<CustomerView> customerView(String user, MeshState state)
    {
        if (user.equals("dora") && !state.customerProduct().grantsDataScientists()) {
            return Optional.empty();
        }
        return customerView(user);
    }

    /**
     * How the user reads customer_profile while the descriptor grants what the sample's does.
     */
    private static Optional<CustomerView> customerView(String user)
    {
        return switch (user) {
            case "alice" -> Optional.of(CustomerView.HASHED);
            case "dora" -> Optional.of(CustomerView.HASHED_CONTACT_HIDDEN);
            case "carlos", "carmen", "olivia" -> Optional.of(CustomerView.CLEAR);
            default -> Optional.empty();
        };
    }

    private static String customerDenial(String user)
    {
        if (user.equals("connor")) {
            return "Access Denied: data product 'customer-data-product' (domain customer-service) is denied to user 'connor' by global policy 'no-contractors-on-customer-data'";
        }
        return noGrant(user, CUSTOMER_PRODUCT, "customer-service");
    }

    private static Set<String> regions(String user)
    {
        return AGENT_REGIONS.getOrDefault(user, ALL_REGIONS);
    }

    private static boolean readsShipments(String user)
    {
        return Set.of("alice", "dora", "carlos", "carmen", "luis", "connor").contains(user);
    }

    private static Optional<String> salesDenial(String user, MeshState state)
    {
        if (!SALES_READERS.contains(user)) {
            return Optional.of(noGrant(user, ORDER_PRODUCT, "sales"));
        }
        if (state.salesClosed() && SALES_CLOSED_TO.contains(user)) {
            return Optional.of("Access Denied: data product 'order-data-product' (domain sales) is denied to user '%s' by global policy '%s'".formatted(user, TOGGLED_DENIAL));
        }
        return Optional.empty();
    }

    private static String noGrant(String user, String product, String domain)
    {
        Optional<String> role = role(user);
        if (role.isPresent()) {
            return "Access Denied: role '%s' has no read grant on data product '%s' (domain %s)".formatted(role.orElseThrow(), product, domain);
        }
        return "Access Denied: user '%s' has no role with a read grant on data product '%s' (domain %s)".formatted(user, product, domain);
    }

    /**
     * The user's role (each sample user holds one at most), from its groups (etc/mesh/groups.txt)
     * through the role mapping (etc/mesh/roles.yaml).
     */
    private static Optional<String> role(String user)
    {
        return switch (user) {
            case "alice", "connor" -> Optional.of("analyst");
            case "dora" -> Optional.of("data-scientist");
            case "carlos", "carmen" -> Optional.of("customer-service");
            case "luis" -> Optional.of("logistics");
            default -> Optional.empty();
        };
    }

    /**
     * The masks the audit line of a user's read of customer_profile must name, by column: the
     * rule of each masked column of the table.
     */
    static Map<String, String> profileMasks(String user)
    {
        return switch (customerView(user).orElseThrow()) {
            case HASHED -> ImmutableMap.of("first_name", "pii-hashed", "last_name", "pii-hashed", "email", "pii-hashed", "phone", "pii-hashed");
            case HASHED_CONTACT_HIDDEN -> ImmutableMap.of("first_name", "pii-hashed", "last_name", "pii-hashed", "email", "contact-hidden-from-data-scientists", "phone", "contact-hidden-from-data-scientists");
            case CLEAR -> ImmutableMap.of();
        };
    }

    /**
     * The row filters the audit line of a user's read of customer_profile must name.
     */
    static List<String> profileRowFilters(String user)
    {
        return AGENT_REGIONS.containsKey(user) ? ImmutableList.of("agents-see-their-region") : ImmutableList.of();
    }

    // the query kinds' answers

    /**
     * SELECT customer_id, first_name, last_name, email, phone, region FROM customer_profile WHERE customer_id IN (ids)
     */
    Answer maskedRead(String user, List<Long> customerIds, MeshState state)
    {
        Optional<CustomerView> view = customerView(user, state);
        if (view.isEmpty()) {
            return Answer.denied(customerDenial(user));
        }
        List<List<String>> rows = new ArrayList<>();
        for (long id : customerIds) {
            Customer customer = customersById.get(id);
            if (!regions(user).contains(customer.region())) {
                continue;
            }
            rows.add(switch (view.orElseThrow()) {
                case HASHED -> row(id, hash(customer.firstName()), hash(customer.lastName()), hash(customer.email()), hash(customer.phone()), customer.region());
                case HASHED_CONTACT_HIDDEN -> row(id, hash(customer.firstName()), hash(customer.lastName()), null, null, customer.region());
                case CLEAR -> row(id, customer.firstName(), customer.lastName(), customer.email(), customer.phone(), customer.region());
            });
        }
        return Answer.rows(rows);
    }

    /**
     * SELECT region, count(*), sum(lifetime_value) FROM customer_profile WHERE segment = ? GROUP BY region
     */
    Answer regionTotals(String user, String segment, MeshState state)
    {
        if (customerView(user, state).isEmpty()) {
            return Answer.denied(customerDenial(user));
        }
        Map<String, Long> counts = new TreeMap<>();
        Map<String, BigDecimal> values = new TreeMap<>();
        for (Customer customer : customers) {
            if (customer.segment().equals(segment) && regions(user).contains(customer.region())) {
                counts.merge(customer.region(), 1L, Long::sum);
                values.merge(customer.region(), customer.lifetimeValue(), BigDecimal::add);
            }
        }
        return Answer.rows(counts.keySet().stream().map(region -> row(region, counts.get(region), values.get(region))).toList());
    }

    /**
     * The web-shop orders of one year (Delta) joined with their shipments (Iceberg) and their
     * customers (Parquet, under the agents' row filter), by carrier: count and total.
     */
    Answer shipmentsByCarrier(String user, int year, MeshState state)
    {
        // the tables are checked in the order the query names them: customer_orders, shipments, customer_profile
        if (customerView(user, state).isEmpty()) {
            return Answer.denied(customerDenial(user));
        }
        if (!readsShipments(user)) {
            return Answer.denied(noGrant(user, SHIPMENT_PRODUCT, "logistics"));
        }
        Map<String, Long> counts = new TreeMap<>();
        Map<String, BigDecimal> totals = new TreeMap<>();
        for (CustomerOrder order : customerOrders) {
            Shipment shipment = shipmentsByOrder.get(order.orderId());
            if (order.orderYear() == year && shipment != null && regions(user).contains(customersById.get(order.customerId()).region())) {
                counts.merge(shipment.carrier(), 1L, Long::sum);
                totals.merge(shipment.carrier(), order.total(), BigDecimal::add);
            }
        }
        return Answer.rows(counts.keySet().stream().map(carrier -> row(carrier, counts.get(carrier), totals.get(carrier))).toList());
    }

    /**
     * SELECT order_year, count(*), sum(amount) FROM sales.orders WHERE status = ? GROUP BY order_year
     */
    Answer salesByYear(String user, String status, MeshState state)
    {
        Optional<String> denial = salesDenial(user, state);
        if (denial.isPresent()) {
            return Answer.denied(denial.orElseThrow());
        }
        Map<Integer, Long> counts = new TreeMap<>();
        Map<Integer, BigDecimal> amounts = new TreeMap<>();
        for (Order order : orders) {
            if (order.status().equals(status)) {
                counts.merge(order.orderYear(), 1L, Long::sum);
                amounts.merge(order.orderYear(), order.amount(), BigDecimal::add);
            }
        }
        return Answer.rows(counts.keySet().stream().map(year -> row(year, counts.get(year), amounts.get(year))).toList());
    }

    /**
     * SELECT count(*) FROM system.runtime.tasks: denied to everyone.
     */
    static Answer runtimeTasks()
    {
        return Answer.denied("Access Denied: system.runtime.tasks shows the work of every user's queries; a user sees its own queries, with their statistics, in system.runtime.queries");
    }

    /**
     * SELECT data_product, version FROM mesh.system.data_products: the products the user may read.
     */
    static Answer dataProducts(String user, MeshState state)
    {
        List<List<String>> rows = new ArrayList<>();
        if (customerView(user, state).isPresent()) {
            rows.add(row(CUSTOMER_PRODUCT, state.customerProduct().version()));
        }
        if (salesDenial(user, state).isEmpty()) {
            rows.add(row(ORDER_PRODUCT, ORDER_PRODUCT_VERSION));
        }
        if (readsShipments(user)) {
            rows.add(row(SHIPMENT_PRODUCT, SHIPMENT_PRODUCT_VERSION));
        }
        if (rows.isEmpty()) {
            return Answer.denied("Access Denied: user '%s' may read no data product of mesh, so its catalog (schema system) shows nothing".formatted(user));
        }
        return Answer.rows(rows);
    }

    List<Long> customerIds()
    {
        return customers.stream().map(Customer::customerId).toList();
    }

    static List<String> segments()
    {
        return List.of("consumer", "small-business", "enterprise");
    }

    static List<String> orderStatuses()
    {
        return List.of("delivered", "shipped", "cancelled", "returned");
    }

    static List<Integer> orderYears()
    {
        return List.of(2023, 2024, 2025);
    }

    /**
     * A row as the load test compares it: each value as its text, decimals with their scale, null as null.
     */
    static List<String> row(Object... values)
    {
        return Arrays.stream(values).map(SampleAnswers::text).toList();
    }

    static String text(Object value)
    {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }

    private static String hash(String value)
    {
        return Hashing.sha256().hashString(value, UTF_8).toString();
    }
}
