package io.dqlite.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Each node's volume, one PersistentVolumeClaim per pod from the StatefulSet's claim template.
 * Class and size are immutable because a StatefulSet's volumeClaimTemplates are.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.storageClassName) == has(oldSelf.storageClassName) &&"
            + " (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
    message =
        "storage.storageClassName is immutable: a StatefulSet's volume claim templates cannot"
            + " change")
public class StorageSpec {

  public static final String DEFAULT_SIZE = "1Gi";

  @Default(DEFAULT_SIZE)
  @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$")
  @ValidationRule(
      value = "self == oldSelf",
      message =
          "storage.size is immutable: a StatefulSet's volume claim templates cannot change;"
              + " expand each PersistentVolumeClaim instead")
  @JsonPropertyDescription("Requested size of each node's volume, e.g. 1Gi. Immutable.")
  private String size = DEFAULT_SIZE;

  @JsonPropertyDescription(
      "Storage class of the volumes; the cluster's default when unset. Immutable.")
  private String storageClassName;

  @Default("{}")
  @JsonPropertyDescription(
      "What happens to the volumes when pods are scaled away or the cluster is deleted.")
  private RetentionSpec retention = new RetentionSpec();

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorageClassName() {
    return storageClassName;
  }

  public void setStorageClassName(String storageClassName) {
    this.storageClassName = storageClassName;
  }

  public RetentionSpec getRetention() {
    return retention;
  }

  public void setRetention(RetentionSpec retention) {
    this.retention = retention;
  }
}
