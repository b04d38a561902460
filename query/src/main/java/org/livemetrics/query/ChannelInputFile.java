package org.livemetrics.query;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A Parquet {@link InputFile} over a file Beam's {@link FileSystems} can open, so the same reader
 * works on local paths and {@code s3://} objects (Beam's ParquetIO does the same internally).
 *
 * <p>The length is the opened file's, not the listing's: a streaming job replaces a part file
 * under the same name when it writes a flush again after a restart (an atomic rename), and a
 * reader that listed the old file and opened the new one would look for the footer at the old
 * length. The first stream is opened with the length; both then describe the same file.
 */
final class ChannelInputFile implements InputFile {
  private final MatchResult.Metadata file;
  private @Nullable SeekableByteChannel first;
  private long length = -1;

  ChannelInputFile(MatchResult.Metadata file) {
    this.file = file;
  }

  @Override
  public long getLength() throws IOException {
    if (length < 0) {
      first = open();
      length = first.size();
    }
    return length;
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    SeekableByteChannel channel;
    if (first != null) {
      channel = first;
      first = null;
    } else {
      channel = open();
      if (length < 0) {
        length = channel.size();
      }
    }
    SeekableByteChannel seekable = channel;
    return new DelegatingSeekableInputStream(Channels.newInputStream(seekable)) {
      @Override
      public long getPos() throws IOException {
        return seekable.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        seekable.position(newPos);
      }
    };
  }

  private SeekableByteChannel open() throws IOException {
    ReadableByteChannel channel = FileSystems.open(file.resourceId());
    if (!(channel instanceof SeekableByteChannel seekable)) {
      channel.close();
      throw new IOException("the file system cannot seek in " + file.resourceId()
          + "; Parquet needs random access");
    }
    return seekable;
  }

  @Override
  public String toString() {
    return file.resourceId().toString();
  }
}
