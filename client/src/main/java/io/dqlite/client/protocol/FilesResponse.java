package io.dqlite.client.protocol;

import io.dqlite.client.model.DumpFile;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to dump. Body: uint64 count, then per file text name, uint64 length and the bytes
 * (always a multiple of 8 from libdqlite; padded here anyway). libdqlite 1.11.1 sends two files:
 * the database and its WAL, either possibly empty.
 */
public record FilesResponse(List<DumpFile> files) implements Response {

  public FilesResponse {
    files = List.copyOf(files);
  }

  @Override
  public ResponseType type() {
    return ResponseType.FILES;
  }

  @Override
  public void encodeBody(BodyWriter w) {
    w.putUint64(files.size());
    for (DumpFile f : files) {
      w.putText(f.name()).putBlob(f.data());
    }
  }

  static FilesResponse decode(BodyReader r) throws ProtocolException {
    long n = r.getUint64();
    if (n < 0 || n > r.remaining() / 16) {
      throw new ProtocolException(
          "files response counts "
              + Long.toUnsignedString(n)
              + " files in "
              + r.remaining()
              + " bytes",
          null);
    }
    List<DumpFile> files = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) {
      String name = r.getText("file name " + (i + 1));
      files.add(new DumpFile(name, r.getBlob()));
    }
    return new FilesResponse(files);
  }
}
