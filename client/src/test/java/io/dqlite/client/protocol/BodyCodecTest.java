package io.dqlite.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BodyCodecTest {

  @Test
  void integersAreLittleEndian() throws Exception {
    byte[] b =
        new BodyWriter()
            .putUint8(0xab)
            .putUint16(0x0102)
            .putUint32(0xdeadbeefL)
            .putUint64(-2L)
            .putFloat64(1.5)
            .toByteArray();
    assertThat(Hex.of(b)).isEqualTo("ab0201efbeaddefeffffffffffffff000000000000f83f");
    BodyReader r = new BodyReader(b);
    assertThat(r.getUint8()).isEqualTo(0xab);
    assertThat(r.getUint16()).isEqualTo(0x0102);
    assertThat(r.getUint32()).isEqualTo(0xdeadbeefL);
    assertThat(r.getUint64()).isEqualTo(-2L);
    assertThat(r.getFloat64()).isEqualTo(1.5);
    assertThat(r.remaining()).isZero();
  }

  @ParameterizedTest(name = "text of {0} bytes takes {1}")
  @CsvSource({"0,8", "1,8", "7,8", "8,16", "15,16", "16,24"})
  void textIsNulTerminatedAndPaddedToAWord(int length, int size) throws Exception {
    String s = "x".repeat(length);
    byte[] b = new BodyWriter().putText(s).toByteArray();
    assertThat(b).hasSize(size);
    assertThat(b[length]).isZero();
    BodyReader r = new BodyReader(b);
    assertThat(r.getText()).isEqualTo(s);
    assertThat(r.remaining()).isZero();
  }

  @ParameterizedTest(name = "blob of {0} bytes takes {1}")
  @CsvSource({"0,8", "1,16", "8,16", "9,24"})
  void blobsHaveALengthAndPadding(int length, int size) throws Exception {
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) (i + 1);
    }
    byte[] b = new BodyWriter().putBlob(data).toByteArray();
    assertThat(b).hasSize(size);
    BodyReader r = new BodyReader(b);
    assertThat(r.getBlob()).isEqualTo(data);
    assertThat(r.remaining()).isZero();
  }

  @Test
  void unicodeTextIsUtf8() throws Exception {
    String s = "日本語 🚀 ü";
    BodyReader r = new BodyReader(new BodyWriter().putText(s).toByteArray());
    assertThat(r.getText()).isEqualTo(s);
  }

  @Test
  void textWithNulIsRefused() {
    assertThatThrownBy(() -> new BodyWriter().putText("a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BLOB");
  }

  @Test
  void readsPastTheEndAreProtocolErrors() {
    BodyReader r = new BodyReader(new byte[4]);
    assertThatThrownBy(r::getUint64)
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("needs 8 bytes, 4 left");
    BodyReader blob = new BodyReader(Hex.bytes("1000000000000000 0102030405060708"));
    assertThatThrownBy(blob::getBlob).isInstanceOf(ProtocolException.class);
    BodyReader negativeBlob = new BodyReader(Hex.bytes("ffffffffffffffff"));
    assertThatThrownBy(negativeBlob::getBlob).isInstanceOf(ProtocolException.class);
  }

  @Test
  void headerRoundTrips() throws Exception {
    MessageHeader h = new MessageHeader(0xffff_ffffL, 7, 1, 0x0203);
    assertThat(Hex.of(h.encode())).isEqualTo("ffffffff07010302");
    assertThat(MessageHeader.decode(h.encode())).isEqualTo(h);
    assertThat(h.bodyBytes()).isEqualTo(0xffff_ffffL * 8);
  }
}
