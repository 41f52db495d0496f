package org.pgstaging.catalog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How a catalog's names and definitions become text: in the dump's encoding, except SQL_ASCII,
 * where PostgreSQL stores whatever bytes clients sent and pg_restore prints them as they are. Those
 * are read as UTF-8 when they are valid UTF-8 (what clients almost always send today), else as
 * Latin-1, one string at a time: decoding all of them as Latin-1 turned {@code Été} into
 * {@code Ã‰tÃ©} and a schema filter silently missed it.
 */
abstract class NameDecoding {

    abstract String decode(byte[] bytes, int offset, int length);

    static NameDecoding of(Charset charset) {
        return new Fixed(charset);
    }

    static NameDecoding storedBytes() {
        return new StoredBytes();
    }

    private static final class Fixed extends NameDecoding {
        private final Charset charset;

        Fixed(Charset charset) {
            this.charset = charset;
        }

        @Override
        String decode(byte[] bytes, int offset, int length) {
            return new String(bytes, offset, length, charset);
        }
    }

    private static final class StoredBytes extends NameDecoding {
        @Override
        String decode(byte[] bytes, int offset, int length) {
            if (isAscii(bytes, offset, length)) return new String(bytes, offset, length, StandardCharsets.US_ASCII);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
            } catch (CharacterCodingException notUtf8) {
                return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
            }
        }

        private static boolean isAscii(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] < 0) return false;
            }
            return true;
        }
    }
}
