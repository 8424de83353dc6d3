package dev.datamesh.trino;

import dev.datamesh.formats.TypeMappingException;
import io.trino.spi.TrinoException;
import org.junit.jupiter.api.Test;

import static dev.datamesh.formats.TypeMappingException.Reason.AMBIGUOUS_NAMES;
import static dev.datamesh.formats.TypeMappingException.Reason.UNSUPPORTED_TYPE;
import static dev.datamesh.trino.MeshErrorCode.MESH_BAD_DATA;
import static dev.datamesh.trino.MeshErrorCode.MESH_UNSUPPORTED_ASSET;
import static org.assertj.core.api.Assertions.assertThat;

final class TestReadFailures
{
    @Test
    void testTypeMappingFailures()
    {
        TrinoException unsupported = ReadFailures.typeMappingFailure(new TypeMappingException(UNSUPPORTED_TYPE, "column 'a' has the Iceberg type variant"));
        assertThat(unsupported.getErrorCode()).isEqualTo(MESH_UNSUPPORTED_ASSET.toErrorCode());
        assertThat(unsupported).hasMessage("column 'a' has the Iceberg type variant");

        TrinoException ambiguous = ReadFailures.typeMappingFailure(new TypeMappingException(AMBIGUOUS_NAMES, "column 'st' has nested fields 'X' and 'x'"));
        assertThat(ambiguous.getErrorCode()).isEqualTo(MESH_BAD_DATA.toErrorCode());
        assertThat(ambiguous).hasMessage("column 'st' has nested fields 'X' and 'x'");
    }
}
