global using Traceability.Domain.Epcis;
