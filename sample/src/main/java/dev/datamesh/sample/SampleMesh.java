package dev.datamesh.sample;

import com.google.common.collect.ImmutableList;
import io.airlift.units.DataSize;
import io.delta.kernel.Operation;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.Type;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static io.airlift.slice.Slices.utf8Slice;
import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DateType.DATE;
import static io.trino.spi.type.IntegerType.INTEGER;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * The sample mesh's data: customers and their web-shop orders (a Delta table) in the
 * customer-service domain, all orders in the sales domain, and the shipments of the web-shop
 * orders (an Iceberg table) in the logistics domain, generated from fixed seeds so that every run,
 * test and demo sees the same rows. The descriptors that publish them live in etc/mesh/products.
 */
public final class SampleMesh
{
    public static final int CUSTOMER_COUNT = 5_000;
    public static final int ORDER_COUNT = 8_000;
    public static final int CUSTOMER_ORDER_COUNT = 6_000;
    // the tag of the shipments table's first snapshot: shipments until the end of 2024
    public static final String SHIPMENTS_2024_TAG = "closing-2024";
    public static final String VERSION_0_TIME = "2025-01-01T00:00:00Z";
    public static final String VERSION_1_TIME = "2026-01-01T00:00:00Z";
    public static final DecimalType MONEY = DecimalType.createDecimalType(12, 2);

    private static final String[] FIRST_NAMES = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret", "Ken", "Radia", "Tim", "Sophie", "Linus", "Hedy", "Dennis"};
    private static final String[] LAST_NAMES = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Hamilton", "Thompson", "Perlman", "Berners-Lee", "Wilson", "Torvalds", "Lamarr", "Ritchie"};
    private static final String[][] COUNTRIES = {{"DE", "EMEA"}, {"FR", "EMEA"}, {"GB", "EMEA"}, {"US", "AMER"}, {"CA", "AMER"}, {"BR", "AMER"}, {"JP", "APAC"}, {"AU", "APAC"}, {"IN", "APAC"}};
    private static final String[] SEGMENTS = {"consumer", "small-business", "enterprise"};
    private static final String[] STATUSES = {"delivered", "shipped", "cancelled", "returned"};
    private static final String[] CHANNELS = {"web", "mobile", "store", "partner"};
    private static final String[] CARRIERS = {"DHL", "UPS", "La Poste", "Yamato", "FedEx"};

    public record Customer(long customerId, String firstName, String lastName, String email, String phone, String country, String region, String segment, LocalDate signupDate, BigDecimal lifetimeValue) {}

    public record CustomerOrder(long orderId, long customerId, LocalDateTime orderTime, String channel, int basketSize, BigDecimal total)
    {
        public int orderYear()
        {
            return orderTime.getYear();
        }
    }

    public record Shipment(long shipmentId, long orderId, long customerId, String carrier, OffsetDateTime shippedAt, Optional<OffsetDateTime> deliveredAt, String status, BigDecimal weightKg, String destinationCountry)
    {
        public Shipment
        {
            requireNonNull(deliveredAt, "deliveredAt is null");
        }
    }

    public record Order(long orderId, long customerId, LocalDate orderDate, String status, String channel, int quantity, BigDecimal amount)
    {
        public int orderYear()
        {
            return orderDate.getYear();
        }
    }

    private SampleMesh() {}

    public static List<Customer> customers()
    {
        Random random = new Random(20240501);
        ImmutableList.Builder<Customer> customers = ImmutableList.builder();
        for (long id = 1; id <= CUSTOMER_COUNT; id++) {
            String first = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)];
            String last = LAST_NAMES[random.nextInt(LAST_NAMES.length)];
            String[] country = COUNTRIES[random.nextInt(COUNTRIES.length)];
            customers.add(new Customer(
                    id,
                    first,
                    last,
                    "%s.%s.%d@example.com".formatted(first.toLowerCase(), last.toLowerCase().replace("-", ""), id),
                    "+%02d-555-%07d".formatted(10 + random.nextInt(80), random.nextInt(10_000_000)),
                    country[0],
                    country[1],
                    SEGMENTS[random.nextInt(SEGMENTS.length)],
                    LocalDate.of(2019, 1, 1).plusDays(random.nextInt(5 * 365)),
                    BigDecimal.valueOf(random.nextInt(5_000_000), 2)));
        }
        return customers.build();
    }

    public static List<Order> orders()
    {
        Random random = new Random(20240502);
        ImmutableList.Builder<Order> orders = ImmutableList.builder();
        for (long id = 1; id <= ORDER_COUNT; id++) {
            orders.add(new Order(
                    100_000 + id,
                    1 + random.nextInt(CUSTOMER_COUNT),
                    LocalDate.of(2023, 1, 1).plusDays(random.nextInt(3 * 365)),
                    STATUSES[random.nextInt(STATUSES.length)],
                    CHANNELS[random.nextInt(CHANNELS.length)],
                    1 + random.nextInt(9),
                    BigDecimal.valueOf(500 + random.nextInt(200_000), 2)));
        }
        return orders.build();
    }

    /**
     * Web-shop orders of the customers, kept by the customer-service domain as a Delta table.
     */
    public static List<CustomerOrder> customerOrders()
    {
        Random random = new Random(20240503);
        ImmutableList.Builder<CustomerOrder> orders = ImmutableList.builder();
        for (long id = 1; id <= CUSTOMER_ORDER_COUNT; id++) {
            orders.add(new CustomerOrder(
                    200_000 + id,
                    1 + random.nextInt(CUSTOMER_COUNT),
                    LocalDateTime.of(2023, 1, 1, 0, 0).plusSeconds(random.nextInt(3 * 365 * 24 * 3600)).plusNanos(random.nextInt(1_000_000) * 1_000L),
                    random.nextBoolean() ? "web" : "mobile",
                    1 + random.nextInt(6),
                    BigDecimal.valueOf(990 + random.nextInt(150_000), 2)));
        }
        return orders.build();
    }

    /**
     * Shipments of the web-shop orders, kept by the logistics domain as an Iceberg table: one per
     * order, sent to the customer's country, most delivered, some still in transit or returned.
     */
    public static List<Shipment> shipments()
    {
        List<Customer> customers = customers();
        Random random = new Random(20240504);
        ImmutableList.Builder<Shipment> shipments = ImmutableList.builder();
        for (CustomerOrder order : customerOrders()) {
            OffsetDateTime shippedAt = order.orderTime().atOffset(ZoneOffset.UTC).plusHours(2 + random.nextInt(70)).withNano(0);
            int outcome = random.nextInt(20);
            String status = outcome == 0 ? "in_transit" : outcome == 1 ? "returned" : "delivered";
            shipments.add(new Shipment(
                    300_000 + order.orderId() - 200_000,
                    order.orderId(),
                    order.customerId(),
                    CARRIERS[random.nextInt(CARRIERS.length)],
                    shippedAt,
                    status.equals("in_transit") ? Optional.empty() : Optional.of(shippedAt.plusHours(12 + random.nextInt(240))),
                    status,
                    BigDecimal.valueOf(10 + random.nextInt(3_000), 2),
                    customers.get((int) order.customerId() - 1).country()));
        }
        return shipments.build();
    }

    /**
     * Writes the sample data below {@code dataDirectory}: customer_profile as two files (small row
     * groups, so that predicates can skip some) and orders partitioned by order_year.
     */
    public static void writeData(Path dataDirectory)
            throws IOException
    {
        List<String> customerColumns = ImmutableList.of("customer_id", "first_name", "last_name", "email", "phone", "country", "region", "segment", "signup_date", "lifetime_value");
        List<Type> customerTypes = ImmutableList.of(BIGINT, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, DATE, MONEY);
        List<List<Object>> customerRows = customers().stream()
                .map(customer -> row(
                        customer.customerId(),
                        utf8Slice(customer.firstName()),
                        utf8Slice(customer.lastName()),
                        utf8Slice(customer.email()),
                        utf8Slice(customer.phone()),
                        utf8Slice(customer.country()),
                        utf8Slice(customer.region()),
                        utf8Slice(customer.segment()),
                        customer.signupDate().toEpochDay(),
                        customer.lifetimeValue().unscaledValue().longValueExact()))
                .toList();
        Path profile = dataDirectory.resolve("customer-service/customer_profile");
        int half = customerRows.size() / 2;
        DataSize smallRowGroups = DataSize.of(32, DataSize.Unit.KILOBYTE);
        ParquetFileWriter.write(profile.resolve("part-00000.parquet"), customerColumns, customerTypes, customerRows.subList(0, half), smallRowGroups);
        ParquetFileWriter.write(profile.resolve("part-00001.parquet"), customerColumns, customerTypes, customerRows.subList(half, customerRows.size()), smallRowGroups);

        List<String> orderColumns = ImmutableList.of("order_id", "customer_id", "order_date", "status", "channel", "quantity", "amount");
        List<Type> orderTypes = ImmutableList.of(BIGINT, BIGINT, DATE, VARCHAR, VARCHAR, INTEGER, MONEY);
        Path ordersDirectory = dataDirectory.resolve("sales/orders");
        for (int year : orders().stream().mapToInt(Order::orderYear).distinct().sorted().toArray()) {
            List<List<Object>> rows = orders().stream()
                    .filter(order -> order.orderYear() == year)
                    .map(order -> row(
                            order.orderId(),
                            order.customerId(),
                            order.orderDate().toEpochDay(),
                            utf8Slice(order.status()),
                            utf8Slice(order.channel()),
                            (long) order.quantity(),
                            order.amount().unscaledValue().longValueExact()))
                    .toList();
            ParquetFileWriter.write(ordersDirectory.resolve("order_year=" + year).resolve("part-00000.parquet"), orderColumns, orderTypes, rows, DataSize.of(1, DataSize.Unit.MEGABYTE));
        }

        writeCustomerOrders(dataDirectory.resolve("customer-service/customer_orders"));

        writeShipments(IcebergSampleWriter.local(dataDirectory.resolve("logistics")));
    }

    static void writeShipments(IcebergSampleWriter writer)
    {
        List<Shipment> shipments = shipments();
        writer.write(
                shipments.stream().filter(shipment -> shipment.shippedAt().getYear() < 2025).toList(),
                shipments.stream().filter(shipment -> shipment.shippedAt().getYear() >= 2025).toList(),
                SHIPMENTS_2024_TAG);
    }

    /**
     * customer_orders as a Delta table in two versions: version 0 holds 2023 and 2024, version 1
     * appends 2025, so that time travel has something to show.
     */
    private static void writeCustomerOrders(Path table)
            throws IOException
    {
        StructType schema = new StructType()
                .add("order_id", LongType.LONG, false)
                .add("customer_id", LongType.LONG)
                .add("order_time", TimestampType.TIMESTAMP)
                .add("channel", StringType.STRING)
                .add("basket_size", IntegerType.INTEGER)
                .add("total", new io.delta.kernel.types.DecimalType(12, 2))
                .add("order_year", IntegerType.INTEGER);
        DeltaSampleWriter writer = new DeltaSampleWriter(table);
        List<List<Object>> firstYears = new ArrayList<>();
        List<List<Object>> lastYear = new ArrayList<>();
        for (CustomerOrder order : customerOrders()) {
            List<Object> row = row(
                    order.orderId(),
                    order.customerId(),
                    order.orderTime().toEpochSecond(ZoneOffset.UTC) * 1_000_000 + order.orderTime().getNano() / 1_000,
                    order.channel(),
                    order.basketSize(),
                    order.total(),
                    order.orderYear());
            (order.orderYear() < 2025 ? firstYears : lastYear).add(row);
        }
        writer.commit(Operation.CREATE_TABLE, schema, "order_year", firstYears);
        writer.commit(Operation.WRITE, schema, "order_year", lastYear);
        // Delta dates commits by their files' modification times: backdate them so that time travel
        // by timestamp has fixed points to show (version 0 at 2025-01-01, version 1 at 2026-01-01)
        Files.setLastModifiedTime(table.resolve("_delta_log/%020d.json".formatted(0)), FileTime.from(Instant.parse(VERSION_0_TIME)));
        Files.setLastModifiedTime(table.resolve("_delta_log/%020d.json".formatted(1)), FileTime.from(Instant.parse(VERSION_1_TIME)));
    }

    private static List<Object> row(Object... values)
    {
        return new ArrayList<>(Arrays.asList(values));
    }

    public static void main(String[] args)
            throws IOException
    {
        if (args.length != 1) {
            System.err.println("usage: SampleMesh <data directory>");
            System.exit(2);
        }
        Path directory = Path.of(args[0]).toAbsolutePath();
        writeData(directory);
        System.out.printf("Sample mesh data written to %s (%d customers, %d orders, %d shipments)%n", directory, CUSTOMER_COUNT, ORDER_COUNT, CUSTOMER_ORDER_COUNT);
    }
}
