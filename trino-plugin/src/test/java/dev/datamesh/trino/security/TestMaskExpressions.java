package dev.datamesh.trino.security;

import dev.datamesh.policies.Mask;
import io.trino.spi.type.ArrayType;
import io.trino.spi.type.RowType;
import io.trino.spi.type.Type;
import io.trino.sql.parser.SqlParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DateType.DATE;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static org.assertj.core.api.Assertions.assertThat;

final class TestMaskExpressions
{
    private static final Type NESTED = RowType.from(List.of(
            RowType.field("from", BIGINT),
            RowType.field("Order Date", DATE),
            RowType.field("say \"hi\"", new ArrayType(RowType.anonymous(List.of(VARCHAR, BIGINT))))));

    @Test
    void testNestedFieldNamesAreQuoted()
    {
        assertThat(MaskExpressions.sql(Mask.of(Mask.Kind.NULL), "order", NESTED))
                .isEqualTo("CAST(NULL AS row(\"from\" bigint, \"Order Date\" date, \"say \"\"hi\"\"\" array(row(varchar, bigint))))");
    }

    @Test
    void testEveryMaskIsValidSqlForEveryKindOfType()
    {
        SqlParser parser = new SqlParser();
        for (Mask mask : List.of(Mask.of(Mask.Kind.NULL), Mask.of(Mask.Kind.REDACT), Mask.of(Mask.Kind.HASH), Mask.of(Mask.Kind.PARTIAL), Mask.expression("upper(${column})"))) {
            for (Type type : List.of(VARCHAR, BIGINT, DATE, NESTED)) {
                String sql = MaskExpressions.sql(mask, "Column \"1\"", type);
                parser.createExpression(sql);
            }
        }
    }
}
