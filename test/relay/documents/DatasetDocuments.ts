// Relay documents a frontend would write against schema.graphql; relay-compiler validates them in relay.test.ts.
declare const graphql: (strings: TemplateStringsArray) => unknown;

export const query = graphql`
  query DatasetDocumentsQuery($id: ID!) {
    dataset(id: $id) {
      ...DatasetDocuments_dataset
    }
  }
`;

export const fragment = graphql`
  fragment DatasetDocuments_dataset on Dataset
  @refetchable(queryName: "DatasetDocumentsPaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 20 }, cursor: { type: "String" }) {
    name
    documentCount
    documents(first: $count, after: $cursor) @connection(key: "DatasetDocuments_documents") {
      edges {
        node {
          id
          name
          indexingStatus
          displayStatus
        }
      }
    }
  }
`;

export const deleteDocument = graphql`
  mutation DatasetDocumentsDeleteMutation($datasetId: ID!, $documentId: ID!) {
    deleteDocument(input: { datasetId: $datasetId, documentId: $documentId }) {
      ... on DeleteDocumentPayload {
        deletedDocumentId @deleteRecord
        dataset {
          id
          documentCount
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`;

export const progress = graphql`
  subscription DatasetDocumentsProgressSubscription($datasetId: ID!) {
    indexingProgress(datasetId: $datasetId) {
      documentId
      stageIndex
      percent
      totalSegments
      document {
        id
        indexingStatus
      }
    }
  }
`;
