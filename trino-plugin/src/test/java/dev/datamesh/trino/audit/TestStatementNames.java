package dev.datamesh.trino.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class TestStatementNames
{
    @Test
    void testNamesAreIdentifiersNotStringsOrComments()
    {
        assertThat(StatementNames.of("SELECT * FROM mesh.sales.orders")).contains("mesh", "sales", "orders");
        assertThat(StatementNames.of("SELECT * FROM \"MESH\".\"Sales\".orders")).contains("mesh", "sales");
        assertThat(StatementNames.of("SELECT 'mesh' FROM memory.default.t -- mesh\n/* mesh */")).doesNotContain("mesh");
        // what Trino could not parse is still read for its names
        assertThat(StatementNames.of("SELEC * FROM mesh.sales.orders WHERE (")).contains("mesh");
    }

    @Test
    void testStatementRunByExecuteImmediate()
    {
        assertThat(StatementNames.of("EXECUTE IMMEDIATE 'SELECT * FROM mesh.sales.orders WHERE status = ''open'''")).contains("mesh", "orders").doesNotContain("open");
        assertThat(StatementNames.of("SELECT 'EXECUTE IMMEDIATE ''SELECT 1 FROM mesh.a.b'''")).doesNotContain("mesh");
    }
}
