namespace Traceability.Domain.Epcis;

/// <summary>What role an identifier plays in an event; drives the EPCIS MATCH_* query parameters.</summary>
public enum EventKeyRole
{
    Epc,          // epcList, childEPCs
    Parent,       // parentID
    Input,        // inputEPCList
    Output,       // outputEPCList
    Class,        // quantityList, childQuantityList
    InputClass,   // inputQuantityList
    OutputClass,  // outputQuantityList
    Lot,          // the lot (LotKey) of an identifier in epcList/quantityList/parent/child
    InputLot,     // the lot of an input
    OutputLot,    // the lot of an output
}

/// <summary>An identifier of an event in canonical form (Digital Link path `01/…`, or the raw URI).</summary>
public readonly record struct EventKey(string Value, EventKeyRole Role);
