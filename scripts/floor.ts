// The bench's floor: what every plan pays before declaring anything. It loads the SDK, every
// provider module the program imports (the same list as src/), and the mocks; it declares nothing.
import "@pulumi/pulumi";
import "@pulumi/aws";
import "@pulumi/azure-native/authorization";
import "@pulumi/azure-native/compute";
import "@pulumi/azure-native/dbformysql";
import "@pulumi/azure-native/keyvault";
import "@pulumi/azure-native/logic";
import "@pulumi/azure-native/managedidentity";
import "@pulumi/azure-native/monitor";
import "@pulumi/azure-native/network";
import "@pulumi/azure-native/operationalinsights";
import "@pulumi/azure-native/privatedns";
import "@pulumi/azure-native/recoveryservices";
import "@pulumi/azure-native/resources";
import "@pulumi/azure-native/storage";
import "@pulumi/random";
import "@pulumi/tls";
import "../src/plan/mocks";
